import { describe, expect, it } from 'vitest';
import { Loop } from '../src/loop.js';

/** Resolves when `condition` holds, polling every few milliseconds up to a deadline. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A loop that idles a minute between passes (only wake-ups run it again), running `pass` with itself. */
function wokenLoop(pass: (loop: Loop) => Promise<boolean>): Loop {
  const loop: Loop = new Loop({ name: 'Test loop', intervalMs: 60_000, backoff: { initialMs: 10, maxMs: 100 }, pass: () => pass(loop), onError: () => undefined });
  return loop;
}

describe('Loop', () => {
  it('stop() waits for the pass in progress, and no pass starts after it', async () => {
    let passes = 0;
    let release: (() => void) | undefined;
    const loop = new Loop({
      name: 'Test loop',
      intervalMs: 60_000,
      backoff: { initialMs: 10, maxMs: 100 },
      pass: async () => {
        passes++;
        await new Promise<void>((resolve) => (release = resolve));
        return true;
      },
      onError: () => undefined,
    });
    loop.start();
    await until(() => release !== undefined, 'the first pass');
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(loop.state).toBe('stopping');
    release!();
    await stopping;
    expect(loop.state).toBe('stopped');
    expect(passes).toBe(1);
    expect(() => loop.start()).toThrow(/Test loop cannot start from state stopped/);
  });

  it('notify() cuts the idle wait short, and a notify during a pass runs another one at once', async () => {
    let passes = 0;
    const loop = wokenLoop(async (self) => {
      passes++;
      // The first pass hears of new work while it runs.
      if (passes === 1) self.notify();
      return false;
    });
    loop.start();
    await until(() => passes === 2, 'the pass the notify asked for');
    loop.notify();
    await until(() => passes === 3, 'a pass after notify() during the idle wait');
    await loop.stop();
  });

  it('reports each failure, backs off with growing waits instead of hot-looping, and reports the recovery', async () => {
    const starts: number[] = [];
    const reported: number[] = [];
    let recoveredAfter = 0;
    const loop = new Loop({
      name: 'Test loop',
      intervalMs: 60_000,
      backoff: { initialMs: 20, maxMs: 80 },
      pass: async () => {
        starts.push(Date.now());
        if (starts.length <= 4) throw new Error('database away');
        return false;
      },
      onError: (error, failures) => {
        expect(error.message).toBe('database away');
        reported.push(failures);
      },
      onRecovered: (failures) => (recoveredAfter = failures),
    });
    loop.start();
    await until(() => recoveredAfter > 0, 'the recovery');
    await loop.stop();
    expect(reported).toEqual([1, 2, 3, 4]);
    expect(recoveredAfter).toBe(4);
    const waits = starts.slice(1).map((start, index) => start - starts[index]!);
    // 40, 80 (the cap), 80, 80 ms: never back to back. Timers may fire a little late, never early.
    expect(waits[0]).toBeGreaterThanOrEqual(38);
    for (const wait of waits.slice(1)) expect(wait).toBeGreaterThanOrEqual(78);
  });

  it('notifySoon() waits out the quiet window a pass asked for and makes one pass of many wake-ups; notify() does not wait', async () => {
    const starts: number[] = [];
    let windowMs = 50;
    const loop = wokenLoop(async (self) => {
      starts.push(Date.now());
      self.quietFor(windowMs);
      // Wake-ups during the first pass: one more pass, after its window.
      if (starts.length === 1) for (let index = 0; index < 5; index++) self.notifySoon();
      return false;
    });
    loop.start();
    await until(() => starts.length === 2, 'the pass after the window');
    // Timers fire a little late, never early.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(48);
    // No pass between that one and the notify() below: the five wake-ups made one pass.
    windowMs = 60_000;
    const notifiedAt = Date.now();
    loop.notify();
    await until(() => starts.length === 3, 'the pass notify() asks for');
    expect(starts[2]!).toBeGreaterThanOrEqual(notifiedAt);
    // Inside a minute-long window, wake-ups wait; notify() still runs a pass (well within until()'s 5 s).
    for (let index = 0; index < 20; index++) loop.notifySoon();
    const urgentAt = Date.now();
    loop.notify();
    await until(() => starts.length === 4, 'the pass notify() asks for inside the window');
    expect(starts[3]!).toBeGreaterThanOrEqual(urgentAt);
    await loop.stop();
  });
});
