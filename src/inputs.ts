/**
 * Every input of the action, which is also a `--flag` of the CLI.
 *
 * `npm run docs` writes `action.yml`'s inputs and the README's inputs table from this list, and the CLI's
 * help is checked against it by the tests, so the two entry points cannot drift apart.
 */
export interface InputSpec {
  name: string;
  description: string;
  default?: string;
  /** Accepts several values: one per line in the action, a repeated flag on the CLI. */
  multiple?: boolean;
  /** Values that are credentials: masked in every output. */
  secret?: boolean;
  /** Meaningful only on a GitHub runner; not offered as a CLI flag. */
  actionOnly?: boolean;
}

export const INPUTS = [
  { name: 'command', description: 'Command line that starts a stdio MCP server. The gate talks to it over stdin/stdout.' },
  { name: 'start', description: 'Command that starts an HTTP MCP server and keeps running. Needs `url`.' },
  {
    name: 'deploy',
    description:
      'Command that deploys the server and exits. Unless `url` is given, the target is the URL on the last line it prints as `MCP_URL=<url>`; without one, the last URL whose path looks like an MCP endpoint (`/mcp`, `/sse`), else the last http(s) URL.',
  },
  { name: 'teardown', description: 'Command always run at the end, e.g. to delete a preview deployment.' },
  { name: 'url', description: 'URL of the MCP endpoint of an HTTP server, e.g. http://127.0.0.1:3000/mcp.' },
  {
    name: 'health-url',
    description: 'URL that answers 2xx once the server is ready. Without it the gate waits for the MCP URL to accept connections.',
  },
  { name: 'transport', description: 'auto, stdio, streamable-http or sse.', default: 'auto' },
  { name: 'startup-timeout', description: 'Seconds to wait for deploy and readiness.', default: '60' },
  { name: 'request-timeout', description: 'Seconds each MCP request may take.', default: '10' },
  {
    name: 'header',
    description: 'HTTP headers sent on every request, one `Name: value` per line. Values are masked in all output.',
    multiple: true,
    secret: true,
  },
  { name: 'bearer-token', description: 'Token sent as `Authorization: Bearer <token>` on every HTTP request. Masked in all output.', secret: true },
  { name: 'oauth-client-id', description: 'OAuth client ID for the client-credentials grant (with oauth-client-secret).' },
  { name: 'oauth-client-secret', description: 'OAuth client secret for the client-credentials grant. Masked in all output.', secret: true },
  { name: 'oauth-scope', description: 'Scope to request with the client-credentials grant (space-separated).' },
  {
    name: 'oauth-token-url',
    description:
      'Token endpoint of the authorization server. Without it the gate discovers it as MCP clients do (protected-resource metadata, then RFC 8414 or OpenID Connect discovery).',
  },
  { name: 'expect-auth', description: 'Whether the server must refuse anonymous requests: auto, true or false.', default: 'auto' },
  { name: 'fail-on', description: 'Lowest severity that fails the gate: error, warning or never.', default: 'error' },
  {
    name: 'accepted',
    description:
      'Accepted-findings file (written by `npx mcp-preflight --accept-current > mcp-preflight.accepted.json`): the findings it lists are reported as accepted and do not fail the gate; only new ones do.',
  },
  { name: 'report', description: 'Path of the JSON report to write.' },
  { name: 'sarif', description: 'Path of a SARIF 2.1.0 file to write, for github/codeql-action/upload-sarif.' },
  { name: 'junit', description: 'Path of a JUnit XML file to write, for test reporters.' },
  {
    name: 'source-root',
    description: 'Directory searched for the definitions of tools, prompts and resources, to put annotations on their lines.',
    default: '.',
  },
  {
    name: 'comment',
    description:
      'Pull-request comment: auto (when there are errors or warnings, and to update an earlier one), always, or never. Needs `permissions: pull-requests: write`.',
    default: 'auto',
    actionOnly: true,
  },
  { name: 'github-token', description: 'Token used for the pull-request comment.', default: '${{ github.token }}', secret: true, actionOnly: true },
  {
    name: 'config',
    description:
      'Configuration file (.json or .yaml): smoke calls, severity overrides, skipped checks, thresholds. Default: mcp-preflight.config.{json,yaml,yml} in working-directory, if present.',
  },
  {
    name: 'baseline',
    description:
      'Surface snapshot to compare the live server with (see update-baseline): a file path, or `git:<ref>:<path>` to read it from another ref with `git show`, e.g. `git:origin/main:mcp-surface.json`. Each change is a `surface.*` finding; a change that breaks existing clients is an error.',
  },
  {
    name: 'update-baseline',
    description:
      'true: write the surface snapshot to the baseline path (default mcp-surface.json) instead of running the checklist; nothing is commented or uploaded. true or false.',
    default: 'false',
  },
  {
    name: 'servers-config',
    description:
      "Client configuration file whose servers to verify, each launched as its client launches it: claude_desktop_config.json, .mcp.json (Claude Code), .cursor/mcp.json, .vscode/mcp.json or Windsurf's mcp_config.json. Instead of command, url, start and deploy.",
  },
  {
    name: 'server-json',
    description:
      "The server.json you publish to the MCP Registry, checked against the registry's schema and publish rules and against the live server (registry.* checks). Default: server.json in working-directory, if present.",
  },
  {
    name: 'server',
    description: 'Name of a server in servers-config to verify; one per line (a repeated flag on the CLI). Default: every enabled server.',
    multiple: true,
  },
  {
    name: 'max-parallel',
    description:
      "Servers of servers-config verified at once: a whole number from 1 to 64, never more than the machine's CPU cores. Default: the number of cores.",
  },
  {
    name: 'max-pages',
    description: 'Pages a list request may take before the gate stops following nextCursor. Default: 100, or maxPages in the configuration file.',
  },
  { name: 'working-directory', description: 'Directory the commands run in.', default: '.' },
] as const satisfies readonly InputSpec[];

export type InputName = (typeof INPUTS)[number]['name'];

/** Raw values as they arrive from the runner or the command line, before validation. */
export type RawInputs = Partial<Record<InputName, string | string[]>>;
