import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { GetPromptResultSchema } from '@modelcontextprotocol/core';
import { describeRequestError } from '../../src/checks/support/request-error.js';

describe('describeRequestError', () => {
  it('names the fields of a result the SDK schema rejects, instead of dumping the schema error', () => {
    const parsed = GetPromptResultSchema.safeParse({ messages: [{ role: 'narrator', content: { type: 'text' } }] });
    expect(parsed.success).toBe(false);
    expect(describeRequestError(parsed.error, 1000)).toBe(
      'clients built on the MCP SDK reject the result: messages[0].role: Invalid option: expected one of "user"|"assistant"; messages[0].content: Invalid input',
    );
  });

  it('says what a server error code means to the author of the handler', () => {
    expect(describeRequestError(new ProtocolError(ProtocolErrorCode.InternalError, 'boom'), 1000)).toBe(
      "MCP error -32603: boom (an exception in the server's handler; its log has the stack trace)",
    );
    expect(describeRequestError(new ProtocolError(-32002, 'Resource not found'), 1000)).toBe(
      'MCP error -32002: Resource not found (the server says the resource does not exist)',
    );
    expect(describeRequestError(new ProtocolError(-32099, 'custom'), 1000)).toBe('MCP error -32099: custom');
  });

  it('tells a missing answer from an error, with the deadline', () => {
    expect(describeRequestError(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), 2500)).toBe('no answer within 2500 ms');
  });
});
