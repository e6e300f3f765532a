/**
 * Position in the `job_events` log: (writing transaction id, event id). Ordered by xid first so a
 * transaction that committed late is still read after everything older (see ARCHITECTURE.md).
 */
export interface EventKey {
  /** xid8 as decimal text (up to 2^64). */
  readonly xid: bigint;
  readonly id: number;
}

export const StartOfLog: EventKey = { xid: 0n, id: 0 };

export function compareKeys(left: EventKey, right: EventKey): number {
  if (left.xid !== right.xid) return left.xid < right.xid ? -1 : 1;
  return left.id - right.id;
}

/** Opaque cursor handed to clients. */
export function encodeCursor(key: EventKey): string {
  return Buffer.from(`${key.xid}:${key.id}`).toString('base64url');
}

const MAX_XID = 2n ** 64n - 1n;

/**
 * Returns undefined for anything that is not a cursor we issued. Node's base64 decoder skips
 * characters outside the alphabet, so the cursor must also be exactly what `encodeCursor` gives
 * for the key it decodes to (no junk, NUL bytes or padding around a valid one).
 */
export function decodeCursor(cursor: string): EventKey | undefined {
  if (cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = /^(0|[1-9]\d{0,19}):(0|[1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const key = { xid: BigInt(match[1]!), id: Number(match[2]) };
  if (key.xid > MAX_XID || !Number.isSafeInteger(key.id) || encodeCursor(key) !== cursor) return undefined;
  return key;
}
