/** Socket errors and server codes that mean "the database connection went away", nothing else. */
const LOSS_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOENT',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * True for a lost database connection. postgres.js can leave one of these as an unhandled promise
 * rejection (its type lookup on a fresh connection that dies mid-way): the process must ride it
 * out like every other query failure during an outage, not crash on it.
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LOSS_CODES.has(code);
}

/**
 * postgres.js 3.4 can throw from a timer after its socket closed under it (`socket.write` on a
 * closed connection) when the server goes away mid-write. That is the same connection loss,
 * surfacing outside any query; the pool reconnects on the next query. Judged by name and stack,
 * not `instanceof`, so the error is recognised also after it was serialized (a test runner
 * reports a worker's errors that way).
 */
export function isDriverConnectionFault(error: unknown): boolean {
  const fields = error as { name?: unknown; stack?: unknown; stackStr?: unknown; stacks?: unknown } | null;
  if (fields?.name !== 'TypeError') return false;
  const where = `${String(fields.stack ?? '')}\n${String(fields.stackStr ?? '')}\n${JSON.stringify(fields.stacks ?? [])}`;
  return /postgres[\\/]src[\\/]connection\.js/.test(where);
}
