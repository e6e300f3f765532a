import type { SqlLike } from '../db/client.js';
import { Loop } from '../loop.js';
import type { Log } from '../log.js';

export interface KeyWatchOptions {
  sql: SqlLike;
  /** Keys with open streams in this process. */
  keyIds(): string[];
  /** Ends the key's streams (and sockets). */
  onRevoked(keyId: string): void;
  intervalMs: number;
  log: Log;
}

/**
 * Revocation reaches open streams through NOTIFY at once; this loop is the safety net for a
 * notification this process missed (its listening connection was down during a database restart):
 * every `intervalMs` it checks, in one query, that the keys of open streams are still valid.
 */
export class RevokedKeyWatch {
  private readonly loop: Loop;

  constructor(private readonly options: KeyWatchOptions) {
    this.loop = new Loop({
      name: 'Revoked-key watch',
      intervalMs: options.intervalMs,
      // The database is away: streams wait with everything else; the next interval checks again
      // (initial * 2^1 is already the cap).
      backoff: { initialMs: options.intervalMs / 2, maxMs: options.intervalMs },
      pass: async () => {
        await this.check();
        return false;
      },
      onError: (error) => options.log('warn', 'revoked-key check failed', { error: error.message }),
    });
  }

  start(): void {
    if (this.loop.state === 'created') this.loop.start();
  }

  /** One check now; returns the revoked key ids found. */
  async check(): Promise<string[]> {
    const keyIds = [...new Set(this.options.keyIds())];
    if (keyIds.length === 0) return [];
    const valid = await this.options.sql<{ id: string }[]>`select id from api_keys where id = any(${keyIds}::uuid[]) and revoked_at is null`;
    const stillValid = new Set(valid.map((row) => row.id));
    const revoked = keyIds.filter((keyId) => !stillValid.has(keyId));
    for (const keyId of revoked) this.options.onRevoked(keyId);
    return revoked;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
