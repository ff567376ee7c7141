/**
 * Bounds for JSON a server sent. Every walker of parsed JSON in the gate (structuredClone, JSON.stringify,
 * ajv, the masker, the security lint) recurses, and a 100,000-level object makes each of them throw a
 * RangeError. Cutting the nesting once, where messages arrive, keeps all of them safe.
 */

/** What replaces a subtree nested deeper than the limit. */
export const CUT_MARKER = '[nested too deep: cut by mcp-preflight]';

export interface JsonBounds {
  /** The approximate size of the value as JSON text, in characters. */
  size: number;
  /** Subtrees replaced by CUT_MARKER. */
  cuts: number;
  /** The JSON path of the first cut, e.g. `$.result.capabilities.experimental.a.a`, shortened. */
  firstCut?: string;
}

type Container = Record<string, unknown> | unknown[];
type JsonScalar = string | number | boolean | null;

interface Frame {
  container: Container;
  depth: number;
  key?: string | number;
  parent?: Frame;
}

/**
 * Measures `value` and, in place, replaces every object or array deeper than `maxDepth` levels with
 * CUT_MARKER. Iterative, so no depth of input can overflow the stack; the path of a cut is spelt out
 * only for the first one.
 */
export function boundJson(value: unknown, maxDepth: number): JsonBounds {
  const bounds: JsonBounds = { size: 0, cuts: 0 };
  const stack: Frame[] = [];
  const visit = (child: unknown, parent: Frame | undefined, key?: string | number): void => {
    if (child === null || typeof child !== 'object') {
      // Parsed JSON: every value that is not an object is one of these.
      bounds.size += scalarSize(child as JsonScalar | undefined);
      return;
    }
    const depth = parent ? parent.depth + 1 : 0;
    if (parent && key !== undefined && depth > maxDepth) {
      (parent.container as Record<string | number, unknown>)[key] = CUT_MARKER;
      bounds.cuts += 1;
      bounds.firstCut ??= pathOf(parent, key);
      bounds.size += CUT_MARKER.length + 2;
      return;
    }
    bounds.size += 2;
    stack.push({ container: child as Container, depth, key, parent });
  };
  visit(value, undefined);
  while (stack.length) {
    const frame = stack.pop() as Frame;
    const { container } = frame;
    if (Array.isArray(container)) {
      container.forEach((item, index) => visit(item, frame, index));
      bounds.size += Math.max(0, container.length - 1);
    } else {
      for (const key of Object.keys(container)) {
        bounds.size += key.length + 4;
        visit(container[key], frame, key);
      }
    }
  }
  return bounds;
}

/** `$.a.b[0]`; a path through thousands of levels is shown by its start and its depth. */
function pathOf(parent: Frame, key: string | number): string {
  const keys: (string | number)[] = [key];
  for (let frame: Frame | undefined = parent; frame?.key !== undefined; frame = frame.parent) keys.push(frame.key);
  keys.reverse();
  const shown = keys
    .slice(0, 12)
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k.slice(0, 40)}`))
    .join('');
  return `$${shown}${keys.length > 12 ? ` … (${keys.length} levels)` : ''}`;
}

function scalarSize(value: JsonScalar | undefined): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === undefined) return 0;
  return String(value).length;
}
