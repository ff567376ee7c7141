/**
 * Items handled between two turns of the event loop. Checks run side by side: linting or compiling
 * 100,000 tools in one go would starve the others' requests into false time-outs.
 */
const ITEMS_PER_TURN = 500;

/** `flatMap` in slices, yielding to the event loop between them. */
export async function mapInTurns<T, R>(items: readonly T[], map: (item: T) => R[]): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += ITEMS_PER_TURN) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const item of items.slice(start, start + ITEMS_PER_TURN)) for (const result of map(item)) results.push(result);
  }
  return results;
}
