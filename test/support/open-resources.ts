/**
 * What the shared test helpers opened and not yet closed, by name. The leak check
 * (leak-check.ts) fails a test file that ends with any of them still open.
 */
const open = new Map<symbol, string>();

/** Records `what` as open; call the returned function when it is closed. */
export function trackOpen(what: string): () => void {
  const token = Symbol(what);
  open.set(token, what);
  return () => void open.delete(token);
}

/** Names of what is still open. */
export function stillOpen(): string[] {
  return [...open.values()];
}
