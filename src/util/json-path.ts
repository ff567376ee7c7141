import { JSONPath } from 'jsonpath-plus';

/**
 * JSONPath for the smoke calls' expectations, with script evaluation off. The paths come from the
 * configuration file, which any pull request can change, and the gate holds tokens the server never sees:
 * a filter (`[?(…)]`) or script (`[(…)]`) expression would be code run inside the gate.
 */

/** The filter or script expression in a path, if it has one; such a path is a configuration error. */
export function expressionIn(path: string): string | undefined {
  return JSONPath.toPathArray(path).find((component) => /^\??\(/.test(component));
}

/** The value at `path` (an array when the path selects several), or why the path could not be followed. */
export function valueAt(path: string, json: object): { value: unknown } | { error: string } {
  try {
    return { value: JSONPath({ path, json, wrap: false, eval: false }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
