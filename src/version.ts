/** Kept equal to package.json's version by a test; a constant keeps the bundles free of JSON imports. */
export const TOOL_NAME = 'mcp-preflight';
export const TOOL_VERSION = '0.1.0';
