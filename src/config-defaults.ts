/**
 * What the configuration file's thresholds and resource limits are when it does not set them. One place,
 * read by the loader, the published schema and the check docs that quote them.
 */
export const THRESHOLD_DEFAULTS = { slowStartupMs: 10_000, latencyP95Ms: 1000, latencyBurst: 5, maxDescriptionLength: 4000 } as const;

export const RESOURCE_DEFAULTS = { readCount: 10, maxBytes: 1024 * 1024 } as const;

/**
 * Which protocol revisions lifecycle.version-negotiation probes beside the gate's own connection (which
 * asks for the latest): `latest`, none; `minimal`, the oldest and an unknown one; `full`, every revision.
 * `auto` is `minimal` over HTTP, where a probe is a request, and `latest` over stdio, where each probe is
 * another start of the server: measured on published servers, those starts alone made a run take about
 * half as long again as a bare client's (2.9 s against 1.8 s on a server that starts in 1 s).
 */
export const VERSION_MATRICES = ['auto', 'latest', 'minimal', 'full'] as const;
export type VersionMatrix = (typeof VERSION_MATRICES)[number];
export const VERSION_MATRIX_DEFAULT: VersionMatrix = 'auto';

/**
 * How much of a server's answers the gate holds: a byte cap per HTTP body or event stream, a cap on the
 * listed surface kept for the checks (items, and their size as JSON), and the nesting depth beyond which
 * JSON is cut. Generous for real servers; a hostile one hits them long before the gate runs out of memory.
 */
export const LIMIT_DEFAULTS = { maxBodyBytes: 16 * 1024 * 1024, maxItems: 50_000, maxSurfaceBytes: 32 * 1024 * 1024, maxDepth: 64 } as const;
