import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from '../../src/jobs/progress-reporter.js';
import type { ProgressUpdate } from '../../src/providers/spec.js';

/**
 * How an engine's progress becomes PROGRESS events (src/jobs/progress-reporter.ts): at most one
 * write per interval counted from the job's start, the latest state kept, a last preview frame
 * never lost, and nothing written for a job that ends within the interval.
 */

const frame = (name: string) => new TextEncoder().encode(name);

let writes: ProgressUpdate[];
let reporter: ProgressReporter;
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  writes = [];
  reporter = new ProgressReporter(
    250,
    async (update) => void writes.push(update),
    (error) => {
      throw error;
    },
  );
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressReporter', () => {
  it('writes nothing before the interval has passed since the start, then the latest state once', async () => {
    reporter.report({ progress: 0, stage: 'generating' });
    await vi.advanceTimersByTimeAsync(100);
    reporter.report({ progress: 0.4, stage: 'generating' });
    await vi.advanceTimersByTimeAsync(149);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([{ progress: 0.4, stage: 'generating' }]);
  });

  it('spaces later writes by the interval and keeps a preview when a later frame has none', async () => {
    await vi.advanceTimersByTimeAsync(300);
    reporter.report({ progress: 0.1, preview: frame('first') });
    await vi.advanceTimersByTimeAsync(0);
    reporter.report({ progress: 0.2, preview: frame('second') });
    reporter.report({ progress: 0.3 });
    await vi.advanceTimersByTimeAsync(249);
    expect(writes.map((write) => write.progress)).toEqual([0.1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes.map((write) => [write.progress, write.preview])).toEqual([
      [0.1, frame('first')],
      [0.3, frame('second')],
    ]);
  });

  it('drops pending progress at a successful end (the terminal event supersedes it) but writes a pending preview', async () => {
    reporter.report({ progress: 0, stage: 'generating' });
    await reporter.close({ flush: true });
    expect(writes).toEqual([]);

    const withPreview = new ProgressReporter(
      250,
      async (update) => void writes.push(update),
      () => undefined,
    );
    withPreview.report({ progress: 0.9, preview: frame('last') });
    await withPreview.close({ flush: true });
    expect(writes).toEqual([{ progress: 0.9, preview: frame('last') }]);
  });

  it('drops everything pending when the run fails, and ignores reports after close', async () => {
    reporter.report({ progress: 0.5, preview: frame('lost') });
    await reporter.close();
    reporter.report({ progress: 0.7 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([]);
  });
});
