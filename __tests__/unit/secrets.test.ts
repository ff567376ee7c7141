import { registerSecrets } from '../../src/secrets.js';
import { Masker } from '../../src/util/masker.js';

describe('registerSecrets', () => {
  it('registers every secret input, and a bearer token alone as well as whole', () => {
    const masker = new Masker();
    const told: string[] = [];
    registerSecrets(
      {
        header: ['Authorization: Bearer sk-live-abcdef', 'X-Api-Key: key-123456'],
        'bearer-token': 'tok-987654',
        'oauth-client-secret': 'cs-55555',
        'oauth-client-id': 'public-client-id',
        url: 'http://127.0.0.1/mcp',
      },
      masker,
      (secret) => told.push(secret),
    );
    expect(told.sort()).toEqual(['Bearer sk-live-abcdef', 'cs-55555', 'key-123456', 'sk-live-abcdef', 'tok-987654'].sort());
    expect(masker.mask('got sk-live-abcdef and key-123456, id public-client-id')).toBe('got *** and ***, id public-client-id');
  });
});
