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

/** Returns undefined for anything that is not a cursor we issued. */
export function decodeCursor(cursor: string): EventKey | undefined {
  const match = /^(\d{1,20}):(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  return { xid: BigInt(match[1]!), id: Number(match[2]) };
}
