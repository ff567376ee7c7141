import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type {
  Client,
  Transport,
  DiscoverResult,
  Implementation,
  InitializeResult,
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/client';
import type { Limits } from '../config.js';
import { describeFailure, mediaTypeOf } from '../util/http/request.js';
import { boundJson } from '../util/json-bounds.js';
import type { Exchange } from './exchange.js';
import type { ModernRequests } from './modern-requests.js';
import type { RawHttp } from './raw-http.js';
import type { ProcessStdioTransport } from './stdio-transport.js';
import * as results from './results.js';

export type TransportName = 'stdio' | 'streamable-http' | 'sse';
/** The protocol's two eras: `initialize` and sessions (2025-11-25 and earlier), or per-request metadata (2026-07-28). */
export type Era = 'legacy' | 'modern';

/** How the connection opened: the legacy handshake, or the modern era's `server/discover`. */
export type Opening = { era: 'legacy'; initialize: InitializeResult } | { era: 'modern'; discover: DiscoverResult; protocolVersion: string };

/** The first revision of the modern era; revisions are dates, so later ones sort after it. */
export const FIRST_MODERN_REVISION = '2026-07-28';
/** Where the 2026-07-28 revision puts the server's name and version: the discover result's `_meta`. */
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';
export type ListKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

export interface Listing<T> {
  kind: ListKind;
  items: T[];
  pages: number;
  durationMs: number;
  /** The request failed; `items` holds what earlier pages returned. */
  error?: Error;
  /** Pagination stopped on a guard rather than at the last page. */
  stoppedBy?: { reason: 'repeated-cursor' | 'page-cap'; cursor: string };
  /** Items were left out on a limit of the gate (limits.maxItems or limits.maxSurfaceBytes). */
  truncated?: { limit: 'maxItems' | 'maxSurfaceBytes'; value: number };
  /** The size as JSON of the items kept, in characters. */
  size: number;
}

/** What `askOnly` reads of an answer: its start shows it came; the rest, a list of any length, is not wanted. */
const ASK_CHARS = 4096;
let askCount = 0;

/** How much of each list the session keeps. */
export type ListBounds = Pick<Limits, 'maxItems' | 'maxSurfaceBytes' | 'maxDepth'> & { maxPages: number };

export interface ListingMap {
  tools: Listing<Tool>;
  resources: Listing<Resource>;
  resourceTemplates: Listing<ResourceTemplate>;
  prompts: Listing<Prompt>;
}

/** The capability that announces each list, and the method that fetches it. */
export const LIST_METHODS: Record<ListKind, { capability: 'tools' | 'resources' | 'prompts'; method: string; field: string }> = {
  tools: { capability: 'tools', method: 'tools/list', field: 'tools' },
  resources: { capability: 'resources', method: 'resources/list', field: 'resources' },
  resourceTemplates: { capability: 'resources', method: 'resources/templates/list', field: 'resourceTemplates' },
  prompts: { capability: 'prompts', method: 'prompts/list', field: 'prompts' },
};

/** A request every server of the modern era answers: the first list it advertises, else server/discover. */
export function firstListMethod(capabilities: Record<string, unknown>): string {
  const kind = (['tools', 'prompts', 'resources'] as const).find((listed) => capabilities[LIST_METHODS[listed].capability] !== undefined);
  return kind ? LIST_METHODS[kind].method : 'server/discover';
}

/**
 * A connected client and everything recorded about the connection. Checks ask it for data; it fetches each
 * list once and shares it, so the surface in the report and the checks see the same pages.
 */
export class Session {
  private readonly listings = new Map<string, Promise<Listing<unknown>>>();
  /** Plain requests to the endpoint, for the Streamable HTTP checks; set by the engine for that transport. */
  http?: RawHttp;
  /** Requests of the gate's own in the modern era, read as the server sent them; set on a modern face. */
  raw?: ModernRequests;

  constructor(
    readonly client: Client,
    readonly transport: Transport,
    readonly transportName: TransportName,
    readonly opening: Opening,
    readonly exchange: Exchange,
    readonly requestTimeoutMs: number,
    private readonly bounds: ListBounds,
    readonly stdio?: ProcessStdioTransport,
  ) {}

  get era(): Era {
    return this.opening.era;
  }

  /** The legacy handshake's result; undefined on a modern session. */
  get initialize(): InitializeResult | undefined {
    return this.opening.era === 'legacy' ? this.opening.initialize : undefined;
  }

  /** The `server/discover` result a modern session opened with; undefined on a legacy session. */
  get discover(): DiscoverResult | undefined {
    return this.opening.era === 'modern' ? this.opening.discover : undefined;
  }

  get protocolVersion(): string {
    return this.opening.era === 'legacy' ? this.opening.initialize.protocolVersion : this.opening.protocolVersion;
  }

  get capabilities(): Record<string, unknown> {
    const opening = this.opening;
    return opening.era === 'legacy' ? opening.initialize.capabilities : opening.discover.capabilities;
  }

  /** The server's name and version: required on initialize, a SHOULD in the discover result's `_meta`. */
  get serverInfo(): Implementation | undefined {
    const opening = this.opening;
    if (opening.era === 'legacy') return opening.initialize.serverInfo;
    const info = opening.discover._meta?.[SERVER_INFO_META_KEY];
    return info && typeof info.name === 'string' ? info : undefined;
  }

  get instructions(): string | undefined {
    const opening = this.opening;
    return opening.era === 'legacy' ? opening.initialize.instructions : opening.discover.instructions;
  }

  /** The versions the server offers in this era: the one the handshake agreed, or the modern ones discover lists. */
  get versionsOffered(): string[] {
    const opening = this.opening;
    if (opening.era === 'legacy') return [opening.initialize.protocolVersion];
    return opening.discover.supportedVersions.filter((version) => version >= FIRST_MODERN_REVISION);
  }

  advertises(capability: 'tools' | 'resources' | 'prompts' | 'logging' | 'completions'): boolean {
    return this.capabilities[capability] !== undefined;
  }

  list<K extends ListKind>(kind: K): Promise<ListingMap[K]> {
    return this.cachedListing(kind, true) as Promise<ListingMap[K]>;
  }

  /**
   * The same pages without the SDK's schema, for when one malformed item made the SDK reject a whole page:
   * the checks can then still name the item at fault. Items are kept when they are objects with a name.
   */
  listUnvalidated<K extends ListKind>(kind: K): Promise<ListingMap[K]> {
    return this.cachedListing(kind, false) as Promise<ListingMap[K]>;
  }

  /**
   * Reads the list again, past the cache: what a client sees when it lists again (after
   * `notifications/tools/list_changed`, say), to compare with the first read. Without the SDK's schema,
   * which would copy every item at once while the first read's copy is still held: a caller validates
   * item by item.
   */
  listAgain<K extends ListKind>(kind: K): Promise<ListingMap[K]> {
    return this.fetchAllPages(kind, false) as Promise<ListingMap[K]>;
  }

  /**
   * One `listAgain` shared by every caller: the checks that run after the others (see `Check.runs`) each
   * want the list as it stands then, and one read answers them all.
   */
  listLater<K extends ListKind>(kind: K): Promise<ListingMap[K]> {
    return this.memoized(`${kind}:later`, () => this.fetchAllPages(kind, false)) as Promise<ListingMap[K]>;
  }

  /**
   * Sends a request only to learn whether the server answers it, with a result or an error: resolves once
   * an answer came, rejects as the client does when none came within the request time-out (or the
   * connection closed first). Over the legacy Streamable HTTP face the request is sent beside the client
   * and the answer is read no further than its start, so a probe whose answer may be a whole list (a
   * stale cursor answered with the first page) never parses it; elsewhere the client sends it, its
   * result kept no longer than the call.
   */
  async askOnly(method: string, params: Record<string, unknown>): Promise<void> {
    if (!this.http) {
      await this.client.request({ method, params }, results.AnyResult, { timeout: this.requestTimeoutMs });
      return;
    }
    const id = `mcp-preflight-ask-${(askCount += 1)}`;
    const tag = JSON.stringify(id);
    // An event stream may carry the server's requests and notifications first: wait for the event that answers.
    const send = () =>
      (this.http as RawHttp).send({
        method: 'POST',
        body: { jsonrpc: '2.0', id, method, params },
        maxChars: ASK_CHARS,
        until: (event) => event.data.includes(tag),
      });
    let reply = await send();
    // A kept-alive connection the server closed as it was reused fails before the request reached it:
    // once more, on a fresh connection, before the server is blamed.
    if (reply.status === undefined && !reply.timedOut) reply = await send();
    if (reply.timedOut) throw new SdkError(SdkErrorCode.RequestTimeout, `${method}: ${describeFailure(reply)}`);
    if (reply.status === undefined) throw new SdkError(SdkErrorCode.ConnectionClosed, `${method}: ${describeFailure(reply)}`);
    // A stream that ended before the answering event, and was not cut for length, left the request unanswered.
    const stream = mediaTypeOf(reply.contentType) === 'text/event-stream';
    const answered = !stream || reply.bodyStop === 'enough' || reply.bodyStop === 'chars' || reply.bodyStop === 'cap';
    if (!answered) throw new SdkError(SdkErrorCode.ConnectionClosed, `${method}: the event stream ended before the answer`);
  }

  private cachedListing(kind: ListKind, validated: boolean): Promise<Listing<unknown>> {
    return this.memoized(`${kind}:${validated}`, () => this.fetchAllPages(kind, validated));
  }

  private memoized(key: string, fetch: () => Promise<Listing<unknown>>): Promise<Listing<unknown>> {
    let listing = this.listings.get(key);
    if (!listing) {
      listing = fetch();
      this.listings.set(key, listing);
    }
    return listing;
  }

  /** Follows nextCursor to the end, guarded so a looping or endless server yields a finding, not a hang. */
  private async fetchAllPages(kind: ListKind, validated: boolean): Promise<Listing<unknown>> {
    const { method, field } = LIST_METHODS[kind];
    const started = performance.now();
    const listing: Listing<unknown> = { kind, items: [], pages: 0, durationMs: 0, size: 0 };
    const seen = new Set<string>();
    let cursor: string | undefined;
    try {
      do {
        if (listing.pages >= this.bounds.maxPages && cursor !== undefined) {
          listing.stoppedBy = { reason: 'page-cap', cursor };
          break;
        }
        const page: Record<string, unknown> = await this.client.request(
          { method, params: cursor === undefined ? {} : { cursor } },
          validated ? listResultSchema(kind) : results.AnyResult,
          { timeout: this.requestTimeoutMs },
        );
        listing.pages += 1;
        const items = Array.isArray(page[field]) ? (page[field] as unknown[]) : [];
        if (!this.keep(listing, validated ? items : items.filter((item) => typeof (item as { name?: unknown } | null)?.name === 'string'))) break;
        cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
        if (cursor !== undefined && seen.has(cursor)) {
          listing.stoppedBy = { reason: 'repeated-cursor', cursor };
          break;
        }
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor !== undefined);
    } catch (error) {
      listing.error = error instanceof Error ? error : new Error(String(error));
    }
    listing.durationMs = Math.round(performance.now() - started);
    return listing;
  }

  /**
   * Adds a page's items while the listing stays within the item and size limits; false once one is
   * reached, which ends the pagination: a hostile server may list without end.
   */
  private keep(listing: Listing<unknown>, items: unknown[]): boolean {
    const { maxItems, maxSurfaceBytes, maxDepth } = this.bounds;
    for (const item of items) {
      const size = boundJson(item, maxDepth).size;
      const limit = listing.items.length >= maxItems ? 'maxItems' : listing.size + size > maxSurfaceBytes ? 'maxSurfaceBytes' : undefined;
      if (limit) {
        listing.truncated = { limit, value: this.bounds[limit] };
        const { method } = LIST_METHODS[listing.kind];
        this.exchange.recordLimitHit({
          limit,
          value: this.bounds[limit],
          where: `the ${method} answers`,
          detail: `${listing.items.length} item(s) kept, from ${listing.pages} page(s)`,
        });
        return false;
      }
      listing.size += size;
      listing.items.push(item);
    }
    return true;
  }
}

function listResultSchema(kind: ListKind) {
  switch (kind) {
    case 'tools':
      return results.ListToolsResult;
    case 'resources':
      return results.ListResourcesResult;
    case 'resourceTemplates':
      return results.ListResourceTemplatesResult;
    case 'prompts':
      return results.ListPromptsResult;
  }
}
