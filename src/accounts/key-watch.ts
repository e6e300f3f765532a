import type { SqlLike } from '../db/client.js';
import { coerceError } from '../errors.js';
import type { Log } from '../services.js';
import { Sleeper } from '../sleeper.js';

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
  private state: 'created' | 'active' | 'stopping' | 'stopped' = 'created';
  private loopPromise: Promise<void> | undefined;
  private readonly sleeper = new Sleeper();

  constructor(private readonly options: KeyWatchOptions) {}

  start(): void {
    if (this.state !== 'created') return;
    this.state = 'active';
    this.loopPromise = this.loop();
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

  private async loop(): Promise<void> {
    while (this.state === 'active') {
      await this.sleeper.sleep(this.options.intervalMs);
      if (this.state !== 'active') break;
      try {
        await this.check();
      } catch (error) {
        // The database is away: streams wait with everything else; the next pass checks again.
        this.options.log('warn', 'revoked-key check failed', { error: coerceError(error).message });
      }
    }
  }

  async stop(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'stopping';
    this.sleeper.wake();
    await this.loopPromise;
    this.state = 'stopped';
  }
}
