/**
 * What Linux reports about processes and the machine, read from /proc: resident memory and CPU
 * time of a process, of a PostgreSQL server with all its backends, and of the whole machine.
 */
import fs from 'node:fs/promises';

export async function rssKb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/**
 * Context switches of a process's main thread so far (/proc/<pid>/task/<pid>/status): voluntary
 * (it waited: epoll, a lock) and involuntary (the scheduler took the CPU from it, e.g. for a
 * process its write had just woken).
 */
export async function mainThreadSwitches(pid: number): Promise<{ voluntary: number; involuntary: number }> {
  const status = await fs.readFile(`/proc/${pid}/task/${pid}/status`, 'utf8').catch(() => '');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { voluntary: field('voluntary_ctxt_switches'), involuntary: field('nonvoluntary_ctxt_switches') };
}

/**
 * Seconds a process's main thread has run and has waited, runnable, for a CPU so far
 * (/proc/<pid>/task/<pid>/schedstat, in nanoseconds). The wait is what the other processes on
 * the machine cost it: a thread that is never idle and waits 30% of the time runs 30% less.
 */
export async function mainThreadSchedule(pid: number): Promise<{ runSeconds: number; waitSeconds: number }> {
  const text = await fs.readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').catch(() => '');
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  return { runSeconds: (run ?? Number.NaN) / 1e9, waitSeconds: (wait ?? Number.NaN) / 1e9 };
}

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream build. */
const TICKS_PER_SECOND = 100;

async function readStat(pid: number): Promise<string[] | undefined> {
  const text = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  // The command name (field 2) may contain spaces; everything after its closing ')' is fixed.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of one process (fields 14 and 15 of /proc/<pid>/stat). */
export async function processCpuSeconds(pid: number): Promise<number> {
  const fields = await readStat(pid);
  if (!fields) return Number.NaN;
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * utime + stime of a process, of its children it has reaped, and of every live descendant: a
 * server with API_PROCESSES > 1 is a supervisor and the API processes it forked.
 */
export async function processTreeCpuSeconds(pid: number): Promise<number> {
  const entries = (await fs.readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const stats = await Promise.all(entries.map(async (entry) => ({ pid: Number(entry), fields: await readStat(Number(entry)) })));
  const children = new Map<number, { pid: number; fields: string[] }[]>();
  for (const { pid: child, fields } of stats) {
    if (!fields) continue;
    const parent = Number(fields[1]);
    const siblings = children.get(parent);
    if (siblings) siblings.push({ pid: child, fields });
    else children.set(parent, [{ pid: child, fields }]);
  }
  const own = stats.find((entry) => entry.pid === pid)?.fields;
  if (!own) return Number.NaN;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.pop(); next; next = queue.pop()) {
    ticks += Number(next.fields[11]) + Number(next.fields[12]);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds of a PostgreSQL server: the postmaster (including its reaped children) and every
 * live backend and auxiliary process it forked.
 */
export async function postgresCpuSeconds(postmasterPid: number | undefined): Promise<number> {
  return postmasterPid === undefined ? Number.NaN : processTreeCpuSeconds(postmasterPid);
}

/** CPU use of the bench process itself, in seconds. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  // user nice system idle iowait irq softirq steal: all but idle and iowait is work done.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return (total - ticks[3]! - ticks[4]!) / TICKS_PER_SECOND;
}
