/**
 * Event-loop delay and GC pauses of the current process, between two `stats()` calls. Used in
 * server children (through server-probe.ts) and in the bench process itself: a late delivery can
 * be the server's fault or the load generator's, and these say which.
 */
import { monitorEventLoopDelay, PerformanceObserver, type NodeGCPerformanceDetail } from 'node:perf_hooks';

export interface ProbeStats {
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  gc: { count: number; totalMs: number; maxMs: number; majorCount: number; majorTotalMs: number };
}

export interface LoopProbe {
  /** Stats since the previous call (or since creation); resets them. */
  stats(): ProbeStats;
  /** Runs `work` (a GC the benchmark asked for) without counting its pauses as the process's own. */
  excluding<T>(work: () => T): T;
}

/** NODE_PERFORMANCE_GC_MAJOR: a full mark-compact. */
const MAJOR_GC = 4;

export function createLoopProbe(): LoopProbe {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const emptyGc = (): ProbeStats['gc'] => ({ count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorTotalMs: 0 });
  let gc = emptyGc();
  let excludeUntil = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < excludeUntil) continue;
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as { detail?: NodeGCPerformanceDetail }).detail?.kind === MAJOR_GC) {
        gc.majorCount++;
        gc.majorTotalMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stats() {
      const stats: ProbeStats = {
        eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
        gc,
      };
      delay.reset();
      gc = emptyGc();
      return stats;
    },
    excluding(work) {
      try {
        return work();
      } finally {
        excludeUntil = performance.now();
        // The forced GC also delayed the loop: start the delay histogram afresh after it.
        delay.reset();
      }
    },
  };
}
