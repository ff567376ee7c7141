import { definitionChanged } from './definition-changed.js';
import { POISONING_RULES } from './poisoning-rules.js';
import { SECRET_PATTERNS } from './secret-patterns.js';
import { secretsExposed } from './secrets-exposed.js';
import { toolPoisoning } from './tool-poisoning.js';
import { unboundedAnswer } from './unbounded-answer.js';

export { definitionChanged, secretsExposed, toolPoisoning, unboundedAnswer };

/** The checks that honour the configuration file's `ignore` entries, with the rules an entry may name. */
export const IGNORABLE: Record<string, readonly string[]> = {
  [toolPoisoning.meta.id]: POISONING_RULES.map((r) => r.rule),
  [secretsExposed.meta.id]: [...SECRET_PATTERNS.map((p) => p.rule), 'echoed-credential'],
  [definitionChanged.meta.id]: ['changed', 'added'],
};
