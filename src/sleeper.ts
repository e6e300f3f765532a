/**
 * The idle wait of a polling loop (see loop.ts): sleeps up to `ms`,
 * and `wake()` cuts a sleep in progress short when there may be work (loops re-check their own
 * flags, such as a pending nudge, before sleeping again).
 */
export class Sleeper {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
