/** What bench/realtime.ts measures at each level, and how it prints it. */
import type { CpuShares } from './cpu.js';
import { formatNumber } from './lib.js';
import type { ProbeStats } from './loop-probe.js';
import type { ProfileSummary } from './profile.js';
import type { DeliveryStats } from './ws-clients.js';

export interface EventRun {
  stats: DeliveryStats;
  /** Percent of one core used by each party while the run lasted. */
  cpuPercent: CpuShares;
  /** Poller queries per second while the events were published (Pictor only). */
  pollerQps?: number;
  /** The server's event-loop delay and GC pauses during the run. */
  serverLoop: ProbeStats;
  /** The same for this process: a stalled load generator delays receipts as much as a stalled server. */
  benchLoop: ProbeStats;
  /** Server CPU time (user + system) per delivered message, in microseconds. */
  serverCpuUsPerDelivery?: number;
  /** Where the server's CPU went during the run (Pictor, with --profile). */
  profile?: ProfileSummary;
  /** Measurements made (more than one when other processes disturbed the first). */
  attempts?: number;
}

export interface LevelResult {
  subscribers: number;
  openSeconds: number;
  /** What the server reports once every client is connected (Pictor: registered subscriptions). */
  connected: number;
  /** Server VmRSS after a full GC with the clients open and idle. */
  rssKb: number;
  /** (rssKb - rssKb at N=0) / N. */
  rssPerConnectionKb: number | undefined;
  /**
   * (rssKb - rssKb at the previous level) / (N - previous N), from the second non-zero level on:
   * the N=0 RSS moves by tens of MB from run to run (start-up garbage returned to the OS or not),
   * and this slope does not depend on it.
   */
  rssSlopeKb: number | undefined;
  /** V8 heap used + external memory (Buffers) after the same GC: what RSS can hide in pages it already holds. */
  heapKb: number;
  /** (heapKb - heapKb at N=0) / N. */
  heapPerConnectionKb: number | undefined;
  /** Poller queries per second over the idle window (Pictor only). */
  idlePollerQps?: number;
  paced?: EventRun;
  burst?: EventRun;
}

export function describeLevel(name: string, level: LevelResult): string {
  const parts = [`${name} N=${level.subscribers}: RSS ${formatNumber(level.rssKb / 1024, 1)} MB`];
  if (level.rssPerConnectionKb !== undefined) parts.push(`${formatNumber(level.rssPerConnectionKb, 1)} KB/connection (heap+external ${formatNumber(level.heapPerConnectionKb, 1)} KB)`);
  if (level.idlePollerQps !== undefined) parts.push(`poller ${formatNumber(level.idlePollerQps, 1)} q/s idle`);
  if (level.paced?.pollerQps !== undefined) parts.push(`${formatNumber(level.paced.pollerQps, 1)} q/s during events`);
  if (level.paced && level.subscribers > 0) parts.push(`paced p50/p99 ${formatNumber(level.paced.stats.latencyMs.p50, 1)}/${formatNumber(level.paced.stats.latencyMs.p99, 1)} ms`);
  if (level.burst && level.subscribers > 0) parts.push(`burst p50/p99 ${formatNumber(level.burst.stats.latencyMs.p50, 1)}/${formatNumber(level.burst.stats.latencyMs.p99, 1)} ms`);
  return parts.join(', ');
}

export function latencyRow(name: string, level: LevelResult, run: EventRun | undefined): string[] {
  if (!run) return [name, String(level.subscribers), '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const { stats, cpuPercent, serverLoop, benchLoop } = run;
  return [
    name,
    String(level.subscribers),
    String(stats.events),
    `${stats.deliveries}/${stats.expectedDeliveries}`,
    formatNumber(stats.latencyMs.p50, 1),
    formatNumber(stats.latencyMs.p99, 1),
    formatNumber(stats.latencyMs.max, 1),
    formatNumber(stats.lastDeliveryMs.p99, 1),
    [cpuPercent.bench, cpuPercent.server, cpuPercent.postgres, cpuPercent.other].map((percent) => formatNumber(percent, 0)).join('/'),
    `${formatNumber(serverLoop.eventLoopDelayMs.p99, 0)}/${formatNumber(serverLoop.eventLoopDelayMs.max, 0)}`,
    `${formatNumber(benchLoop.eventLoopDelayMs.p99, 0)}/${formatNumber(benchLoop.eventLoopDelayMs.max, 0)}`,
    `${formatNumber(serverLoop.gc.maxMs, 0)}/${formatNumber(benchLoop.gc.maxMs, 0)}`,
    formatNumber(run.serverCpuUsPerDelivery, 1),
  ];
}
