import { mismatch } from '../../src/checks/transport/mismatch.js';
import { findHttpListener } from '../../src/session/http-listener.js';
import { wrongEndpoint } from '../../src/checks/transport/wrong-endpoint.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { RawInputs } from '../../src/inputs.js';
import type { EndpointProbe } from '../../src/session/endpoint-probe.js';
import { Exchange, type HttpExchange } from '../../src/session/exchange.js';
import { settingsFor } from '../helpers/servers.js';

const URL_TEXT = 'http://127.0.0.1:3000/mcp';

/** The evidence of a failed HTTP connection: what the gate's requests got, and what the probes found. */
function failedHttp(raw: RawInputs, answers: Omit<HttpExchange, 'url' | 'durationMs'>[], probes: EndpointProbe[]): CheckContext {
  const exchange = new Exchange();
  for (const answer of answers) exchange.recordHttp({ url: URL_TEXT, durationMs: 5, ...answer });
  return {
    settings: settingsFor({ url: URL_TEXT, ...raw }),
    targetUrl: new URL(URL_TEXT),
    connect: { attempts: [{ transport: 'streamable-http', error: new Error('Streamable HTTP error'), durationMs: 10 }], exchange, probes, faces: {} },
    observations: {},
  };
}

const ssePage = (status: number, contentType = 'text/html'): EndpointProbe => ({
  method: 'GET',
  url: URL_TEXT,
  transport: 'sse',
  status,
  contentType,
  speaksMcp: false,
  durationMs: 1,
});

describe('findHttpListener', () => {
  it.each([
    ['Server listening on http://localhost:3000', 'http://localhost:3000/mcp'],
    ['Listening on http://[::1]:8931/mcp', 'http://[::1]:8931/mcp'],
    ['MCP server running on port 8080', 'http://127.0.0.1:8080/mcp'],
    ['Example app listening on port: 4000', 'http://127.0.0.1:4000/mcp'],
    ['listening on 0.0.0.0:5173', 'http://127.0.0.1:5173/mcp'],
    ['Listening on [::]:9000', 'http://127.0.0.1:9000/mcp'],
    ['App listening at http://0.0.0.0:4000/api/mcp.', 'http://127.0.0.1:4000/api/mcp'],
    ['listening on 12345', 'http://127.0.0.1:12345/mcp'],
    ['INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)', 'http://127.0.0.1:8000/mcp'],
  ])('finds the MCP URL in %j', (line, url) => {
    expect(findHttpListener(line)).toBe(url);
  });

  it.each([
    'Weather MCP server v1.0.0',
    'Server started at 10:42:17',
    'listening for JSON-RPC messages on stdin',
    'Server running',
    'GET http://api.example.com/v1/forecast 200',
  ])('ignores %j', (line) => {
    expect(findHttpListener(line)).toBeUndefined();
  });
});

describe('transport.wrong-endpoint', () => {
  it('reports an HTML error page answered to POST, with its title', async () => {
    const context = failedHttp({}, [{ method: 'POST', status: 404, contentType: 'text/html', title: 'Page not found' }], []);
    const [found] = await wrongEndpoint.run(context);
    expect(found.message).toContain('POST (Streamable HTTP) -> HTTP 404 text/html (a page titled "Page not found")');
  });

  it("leaves a proxy's 502 page to other checks: the URL may be right while the upstream is down", async () => {
    const context = failedHttp({}, [{ method: 'POST', status: 502, contentType: 'text/html', title: '502 Bad Gateway' }], [ssePage(502)]);
    expect(await wrongEndpoint.run(context)).toEqual([]);
  });

  it('needs a refusal from both transports before calling the URL wrong', async () => {
    const refusedOnce = failedHttp({}, [{ method: 'POST', status: 404 }], []);
    expect(await wrongEndpoint.run(refusedOnce)).toEqual([]);
    const refusedTwice = failedHttp({}, [{ method: 'POST', status: 404 }], [ssePage(405, 'text/plain')]);
    expect(await wrongEndpoint.run(refusedTwice)).toHaveLength(1);
  });
});

describe('transport.mismatch', () => {
  const legacyAnswer: EndpointProbe = {
    method: 'GET',
    url: URL_TEXT,
    transport: 'sse',
    status: 200,
    contentType: 'text/event-stream',
    speaksMcp: true,
    durationMs: 1,
  };

  it('reports a forced transport when the other one answers at the same URL', async () => {
    const context = failedHttp({ transport: 'streamable-http' }, [{ method: 'POST', status: 405 }], [legacyAnswer]);
    const [found] = await mismatch.run(context);
    expect(found.message).toContain('transport is set to streamable-http, but http://127.0.0.1:3000/mcp speaks HTTP+SSE');
    expect(found.hint).toContain('`transport: sse`');
  });

  it('has nothing to say when the transport was chosen automatically', async () => {
    const context = failedHttp({}, [{ method: 'POST', status: 405 }], [legacyAnswer]);
    expect(await mismatch.run(context)).toEqual([]);
  });
});
