import { refuseTokenEndpoint } from '../../src/session/auth-token.js';

const oauth = { clientId: 'id', clientSecret: 'secret' };
const discovered = { oauth, issuer: 'https://auth.example.com', issuerFrom: 'protected-resource metadata' as const };

describe('where the client secret may go', () => {
  it.each([
    ['https://auth.example.com/oauth/token', discovered],
    ['http://127.0.0.1:8080/token', { ...discovered, issuer: 'http://127.0.0.1:8080' }],
    ['https://tokens.example.net/token', { ...discovered, oauth: { ...oauth, tokenUrl: new URL('https://tokens.example.net/token') } }],
  ])('to %s, on an approved origin over https or loopback', (endpoint, request) => {
    expect(refuseTokenEndpoint(endpoint, request)).toBeUndefined();
  });

  it.each([
    [
      'https://tokens.example.net/token',
      discovered,
      'is on another origin than the authorization server the protected-resource metadata names (https://auth.example.com)',
    ],
    ['http://auth.example.com/token', discovered, 'is not https'],
    ['http://tokens.example.net/token', { ...discovered, oauth: { ...oauth, tokenUrl: new URL('http://tokens.example.net/token') } }, 'is not https'],
    [
      'http://localhost:8080/token',
      { ...discovered, issuer: 'http://127.0.0.1:8080', issuerFrom: 'server origin' as const },
      'is on another origin than the MCP server (http://127.0.0.1:8080)',
    ],
  ])('never to %s', (endpoint, request, reason) => {
    expect(refuseTokenEndpoint(endpoint, request)?.reason).toContain(reason);
  });
});
