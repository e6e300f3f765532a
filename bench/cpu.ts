/**
 * CPU accounting per measured window: the bench process, the server child, PostgreSQL and the
 * rest of the machine. On a shared machine other work can take a core for minutes, so every
 * window also says how much CPU everything else used, and windows can wait for quiet and be
 * measured again when disturbed.
 */
import { type ChildServer } from './children.js';
import { positiveNumber, sleep, type OptionSpec } from './lib.js';
import { machineBusySeconds, ownCpuSeconds, postgresCpuSeconds } from './proc.js';

export interface CpuShares {
  bench: number;
  server: number;
  postgres: number;
  /** Everything else on the machine (other processes, kernel threads): noise in the numbers. */
  other: number;
}

/**
 * CPU of every party over a window (`begin()` .. `end()`), in percent of one core each, plus what
 * the rest of the machine used meanwhile, so a run disturbed by other work is visible as such.
 */
export class CpuMeter {
  private start: { at: number; bench: number; server: number; postgres: number; machine: number } | undefined;

  constructor(
    private readonly server: ChildServer,
    private readonly postmasterPid: number | undefined,
  ) {}

  private async sample() {
    return {
      at: performance.now(),
      bench: ownCpuSeconds(),
      server: await this.server.cpuSeconds(),
      postgres: await postgresCpuSeconds(this.postmasterPid),
      machine: await machineBusySeconds(),
    };
  }

  async begin(): Promise<void> {
    this.start = await this.sample();
  }

  async end(): Promise<CpuShares> {
    const end = await this.sample();
    const start = this.start!;
    const seconds = (end.at - start.at) / 1000;
    const percent = (used: number) => (used / seconds) * 100;
    const bench = end.bench - start.bench;
    const server = end.server - start.server;
    const postgres = end.postgres - start.postgres;
    const other = end.machine - start.machine - bench - server - (Number.isNaN(postgres) ? 0 : postgres);
    return { bench: percent(bench), server: percent(server), postgres: percent(postgres), other: Math.max(0, percent(other)) };
  }
}

/** Above this much CPU (percent of one core) used by other processes, a window counts as disturbed. */
export const DISTURBED_OTHER_PERCENT = 15;
/** Below this much CPU used by other processes, the machine counts as quiet. */
const QUIET_OTHER_PERCENT = 10;

export interface QuietOptions {
  /** Longest wait for a quiet machine before a measured window; 0 = do not wait. */
  maxWaitMs: number;
  /** How many times a disturbed window is measured again. */
  retries: number;
}

/**
 * On a shared machine other work can take a core for minutes. Waits (up to `maxWaitMs`) until
 * everything but our own processes has used under QUIET_OTHER_PERCENT of a core for two
 * consecutive 1.5 s samples. Returns false when it gave up waiting.
 */
export async function waitForQuietMachine(meter: CpuMeter, maxWaitMs: number): Promise<boolean> {
  if (maxWaitMs <= 0) return true;
  const deadline = performance.now() + maxWaitMs;
  let quietSamples = 0;
  let announced = false;
  while (performance.now() < deadline) {
    await meter.begin();
    await sleep(1500);
    const { other } = await meter.end();
    quietSamples = other < QUIET_OTHER_PERCENT ? quietSamples + 1 : 0;
    if (quietSamples >= 2) return true;
    if (!announced && quietSamples === 0) {
      console.log(`  (waiting for other processes to quiet down: they use ${other.toFixed(0)}% of a core)`);
      announced = true;
    }
  }
  return false;
}

/**
 * Measures a window, first waiting for a quiet machine, and measures it again (up to
 * `options.retries` times) when other processes took more than DISTURBED_OTHER_PERCENT of a
 * core meanwhile. Returns the last attempt and how many were made; a result that stayed disturbed
 * is reported as such by `reportDisturbance`.
 */
export async function measureUndisturbed<Result>(
  meter: CpuMeter,
  options: QuietOptions,
  label: string,
  measure: () => Promise<Result>,
  cpuOf: (result: Result) => CpuShares,
): Promise<{ result: Result; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    await waitForQuietMachine(meter, options.maxWaitMs);
    const result = await measure();
    const { other } = cpuOf(result);
    if (other <= DISTURBED_OTHER_PERCENT || attempt > options.retries) return { result, attempts: attempt };
    console.log(`  (${label}: other processes used ${other.toFixed(0)}% of a core meanwhile; measuring again)`);
  }
}

/** Warns about measured windows during which other work on the machine took noticeable CPU. */
export function reportDisturbance(windows: { label: string; cpu: CpuShares }[]): string[] {
  const disturbed = windows.filter((window) => window.cpu.other > DISTURBED_OTHER_PERCENT).map((window) => `${window.label} (other ${window.cpu.other.toFixed(0)}%)`);
  if (disturbed.length > 0) {
    console.log(
      `\nWARNING: other processes used more than ${DISTURBED_OTHER_PERCENT}% of a core during: ${disturbed.join(', ')}. Those numbers are not this software's alone; rerun on a quiet machine.`,
    );
  }
  return disturbed;
}

/** The --quiet-wait and --retries options both benchmarks share. */
export const quietOptionSpec = {
  'quiet-wait': { default: '120', description: 'seconds to wait, before each measured window, for other processes on the machine to go quiet (0 = no wait)' },
  retries: { default: '3', description: 'times a window disturbed by other processes is measured again' },
} satisfies OptionSpec;

export function quietOptions(values: { 'quiet-wait': string; retries: string }): QuietOptions {
  return { maxWaitMs: positiveNumber(values['quiet-wait'], 'quiet-wait') * 1000, retries: Math.floor(positiveNumber(values.retries, 'retries')) };
}
