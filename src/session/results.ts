import type { StandardSchemaV1 } from '@modelcontextprotocol/client';
import * as core from '@modelcontextprotocol/core';

interface ZodLike<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error };
}

/**
 * A result schema for `client.request()` whose failure is the schema library's own error, with its list of
 * issues: the v2 client turns a rejected result into one sentence, and findings name each field at fault.
 * The client awaits `validate` and passes a throw on as the request's rejection.
 */
export function rejectingWithIssues<T>(schema: ZodLike<T>): StandardSchemaV1<unknown, T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'mcp-preflight',
      validate(value: unknown) {
        const parsed = schema.safeParse(value);
        if (parsed.success === true) return { value: parsed.data };
        throw parsed.error;
      },
    },
  };
}

/** Any object: for requests whose result a check reads itself, or does not read. */
export const AnyResult = rejectingWithIssues(core.ResultSchema);
export const EmptyResult = rejectingWithIssues(core.EmptyResultSchema);
export const CallToolResult = rejectingWithIssues(core.CallToolResultSchema);
export const CompleteResult = rejectingWithIssues(core.CompleteResultSchema);
export const GetPromptResult = rejectingWithIssues(core.GetPromptResultSchema);
export const ReadResourceResult = rejectingWithIssues(core.ReadResourceResultSchema);
export const ListToolsResult = rejectingWithIssues(core.ListToolsResultSchema);
export const ListPromptsResult = rejectingWithIssues(core.ListPromptsResultSchema);
export const ListResourcesResult = rejectingWithIssues(core.ListResourcesResultSchema);
export const ListResourceTemplatesResult = rejectingWithIssues(core.ListResourceTemplatesResultSchema);
