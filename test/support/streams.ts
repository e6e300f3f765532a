/** Reads an async stream in the background into `updates`; `stop()` ends it. */
export function record<T>(stream: AsyncIterable<T>): { updates: T[]; stop: () => Promise<void> } {
  const updates: T[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const done = (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) updates.push(next.value);
  })();
  return { updates, stop: async () => void (await iterator.return?.(), await done) };
}
