import { chooseDeployUrl, runToCompletion } from '../../src/target/deploy.js';
import { Masker } from '../../src/util/masker.js';

describe('the server a deploy command deployed', () => {
  it('is the last MCP_URL= line, whatever links follow it', () => {
    const stdout = [
      'Deploying to https://dash.example.com/builds/42',
      'MCP_URL=https://preview-1.example.com/api',
      'export MCP_URL="https://preview-2.example.com/api"',
      'Need help? https://docs.example.com/mcp',
    ];
    expect(chooseDeployUrl(stdout)).toEqual({ url: 'https://preview-2.example.com/api', because: 'the MCP_URL= line it printed' });
  });

  it('is a marked line on stderr before an MCP-looking URL on stdout', () => {
    expect(chooseDeployUrl(['Live at https://a.example.com/mcp'], ['MCP_URL=https://b.example.com/mcp'])?.url).toBe('https://b.example.com/mcp');
  });

  it.each([
    [
      ['Deployed https://app.example.com/mcp.', 'Logs: https://logs.example.com/app/42', 'Help: https://docs.example.com/deploy'],
      'https://app.example.com/mcp',
    ],
    [['https://app.example.com/sse/', 'https://status.example.com'], 'https://app.example.com/sse/'],
    [['https://one.example.com/mcp', 'https://two.example.com/MCP', 'https://docs.example.com/mcp-guide'], 'https://two.example.com/MCP'],
  ])('is otherwise the last URL whose path looks like an MCP endpoint: %j', (stdout, url) => {
    expect(chooseDeployUrl(stdout)).toEqual({ url, because: expect.stringContaining('whose path looks like an MCP endpoint') });
  });

  it('is otherwise the last URL, on stdout before stderr', () => {
    expect(chooseDeployUrl(['Deployed: https://app.example.com/api;'], ['https://progress.example.com/1'])).toEqual({
      url: 'https://app.example.com/api',
      because: expect.stringContaining('the last URL it printed, as no MCP_URL= line'),
    });
  });

  it('is nothing when no URL was printed', () => {
    expect(chooseDeployUrl(['done'], ['MCP_URL=not a url'])).toBeUndefined();
  });
});

describe('a deployed URL that carries a credential', () => {
  it('is reached as printed, and the credential is masked wherever the gate quotes it', async () => {
    const masker = new Masker();
    const printed = 'https://preview.example.com/mcp?token=tok3n5ecretValue42';
    const outcome = await runToCompletion('deploy', `echo "MCP_URL=${printed}"`, process.cwd(), 10_000, masker);
    expect(outcome.url).toBe(printed);
    expect(outcome.outputTail.join('\n')).not.toContain('tok3n5ecretValue42');
    expect(masker.mask(`deployed: yes (${printed})`)).not.toContain('tok3n5ecretValue42');
    expect(masker.mask('the server echoed tok3n5ecretValue42')).not.toContain('tok3n5ecretValue42');
  });
});
