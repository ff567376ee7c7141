/**
 * What the configuration file's thresholds and resource limits are when it does not set them. One place,
 * read by the loader, the published schema and the check docs that quote them.
 */
export const THRESHOLD_DEFAULTS = { slowStartupMs: 10_000, latencyP95Ms: 1000, latencyBurst: 5, maxDescriptionLength: 4000 } as const;

export const RESOURCE_DEFAULTS = { readCount: 10, maxBytes: 1024 * 1024 } as const;

/**
 * Which protocol revisions lifecycle.version-negotiation probes beside the gate's own connection:
 * `minimal`, the oldest and an unknown one; `full`, every revision. Over stdio each is a server start.
 */
export const VERSION_MATRICES = ['minimal', 'full'] as const;
export type VersionMatrix = (typeof VERSION_MATRICES)[number];
export const VERSION_MATRIX_DEFAULT: VersionMatrix = 'minimal';
