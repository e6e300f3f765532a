import type { Sql } from '../db/client.js';
import { pingDatabase } from '../db/ping.js';
import { coerceError } from '../errors.js';
import type { Log } from '../log.js';
import { Loop } from '../loop.js';

export interface DatabaseHealthOptions {
  /** Interval between probes. */
  intervalMs: number;
  /** A probe slower than this counts as a failure (a dead server can hang a connect). */
  timeoutMs: number;
  /**
   * How long the database may be unreachable before the process reports itself unhealthy, so a
   * supervisor restarts it. Shorter outages (a restart, a failover) are ridden out: not ready,
   * still healthy, reconnecting with backoff.
   */
  unhealthyAfterMs: number;
  log: Log;
}

/**
 * Whether this process can work: one `select 1` per interval, whatever the traffic. `/readyz`
 * follows `ready` (take no traffic while the database is away); `/healthz` follows `healthy`.
 */
export class DatabaseHealth {
  private readonly loop: Loop;
  private downSince: number | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly options: DatabaseHealthOptions,
  ) {
    this.loop = new Loop({
      name: 'Database health',
      intervalMs: options.intervalMs,
      // probe() reports its own failures and never throws; the backoff is only a safety net.
      backoff: { initialMs: options.intervalMs / 2, maxMs: options.intervalMs },
      pass: async () => {
        await this.probe();
        return false;
      },
      onError: (error) => options.log('error', 'database health probe crashed', { error: error.message }),
    });
  }

  get ready(): boolean {
    return this.downSince === undefined;
  }

  get healthy(): boolean {
    return this.downSince === undefined || Date.now() - this.downSince < this.options.unhealthyAfterMs;
  }

  /** Milliseconds the database has been unreachable (0 when it is up). */
  get downForMs(): number {
    return this.downSince === undefined ? 0 : Date.now() - this.downSince;
  }

  start(): void {
    if (this.loop.state === 'created') this.loop.start();
  }

  /**
   * The database is known to be gone (the embedded server crashed): not ready from now on, until
   * a probe gets an answer again. The next probe runs at once.
   */
  reportLoss(): void {
    this.markDown('the embedded server exited');
    this.loop.notify();
  }

  private markDown(reason: string): void {
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.options.log('error', 'database unreachable; reconnecting', { error: reason });
  }

  /** One probe now. */
  async probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([pingDatabase(this.sql), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs)))]);
      if (this.downSince !== undefined) this.options.log('info', 'database reachable again', { downForMs: this.downForMs });
      this.downSince = undefined;
      return true;
    } catch (error) {
      this.markDown(coerceError(error).message);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
