import type { ProgressUpdate } from '../providers/spec.js';

/**
 * Turns an engine's progress callbacks into at most one write per `intervalMs` per job, counted
 * from the job's start (its STARTED event), always keeping the latest state (and the latest
 * preview frame) and never running two writes at once. So a job that ends within the interval
 * writes no progress at all: its terminal event says more. Terminal events do not pass through
 * here: they are written by the finishing statement.
 */
export class ProgressReporter {
  private pending: ProgressUpdate | undefined;
  private lastWriteAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly write: (update: ProgressUpdate) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  report(update: ProgressUpdate): void {
    if (this.closed) return;
    const progress = Math.min(1, Math.max(0, Number.isFinite(update.progress) ? update.progress : 0));
    // A frame without a preview must not discard a preview still waiting to be written.
    const preview = update.preview ?? this.pending?.preview;
    this.pending = { ...update, progress, ...(preview ? { preview } : {}) };
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.writing || !this.pending || this.closed) return;
    const wait = Math.max(0, this.lastWriteAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const update = this.pending;
    if (!update || this.closed) return;
    this.pending = undefined;
    this.lastWriteAt = Date.now();
    this.writing = this.write(update)
      .catch(this.onError)
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
  }

  /**
   * Stops reporting. With `flush` (the job succeeded), a preview frame not yet written is written
   * first, so a fast engine's last preview is not lost; progress and stage alone are dropped, as
   * the terminal event that follows supersedes them. Without `flush` everything pending is dropped.
   */
  async close(options: { flush?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    const pending = this.pending;
    this.pending = undefined;
    if (options.flush && pending?.preview) await this.write(pending).catch(this.onError);
  }
}
