import { formatDuration } from '../../util/time.js';
import type { RawAnswer, RawModernConnection } from '../../session/modern-requests.js';
import { describeResponse } from './http.js';

/** "error -32602: Resource not found", "no answer within 10.0 s", "the server process closed the connection". */
export function describeRawFailure(answer: RawAnswer, timeoutMs?: number): string {
  if (answer.error) return `error ${answer.error.code}: ${answer.error.message}`;
  if (answer.timedOut) return timeoutMs === undefined ? 'no answer within request-timeout' : `no answer within ${formatDuration(timeoutMs)} (request-timeout)`;
  if (answer.failure) return answer.failure;
  if (answer.http) return describeResponse(answer.http);
  return 'no answer';
}

export type RawItem = Record<string, unknown>;

/** Every page of a list, read raw, within `maxPages`; `failure` says why it stopped early. */
export async function rawList(
  connection: RawModernConnection,
  method: string,
  field: string,
  maxPages: number,
): Promise<{ items: RawItem[]; failure?: string; last?: RawAnswer }> {
  const items: RawItem[] = [];
  let cursor: string | undefined;
  let last: RawAnswer | undefined;
  for (let page = 0; page < maxPages; page++) {
    last = await connection.request(method, cursor === undefined ? {} : { cursor });
    if (!last.result) return { items, failure: describeRawFailure(last), last };
    const listed = last.result[field];
    if (Array.isArray(listed)) items.push(...listed.filter((item): item is RawItem => item !== null && typeof item === 'object' && !Array.isArray(item)));
    const next = last.result.nextCursor;
    if (typeof next !== 'string' || next === cursor) break;
    cursor = next;
  }
  return { items, last };
}
