/**
 * Summary of a V8 sampling heap profile (`.heapprofile`, from server-probe.ts with
 * BENCH_HEAP_PROFILE): bytes allocated by package and by allocating function, and per unit of
 * work when the count of units (submissions, jobs) in the profiled window is given.
 *
 *   npx tsx bench/heap-profile.ts <file.heapprofile> [units]
 */
import fs from 'node:fs/promises';
import { area, describe, type CallFrame } from './profile.js';

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

export async function summarizeHeapProfile(file: string, units?: number, top = 30): Promise<string> {
  const { head } = JSON.parse(await fs.readFile(file, 'utf8')) as { head: HeapNode };
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    total += node.selfSize;
    const name = area(node);
    byArea.set(name, (byArea.get(name) ?? 0) + node.selfSize);
    const fn = describe(node);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
    stack.push(...node.children);
  }
  const size = (bytes: number) => (units ? `${(bytes / units).toFixed(0).padStart(6)} B/unit` : `${(bytes / 1e6).toFixed(1).padStart(7)} MB`);
  const lines = (entries: Map<string, number>) =>
    [...entries]
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => `  ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${size(bytes)}  ${name}`);
  return [
    `${file.split('/').pop()}: ${(total / 1e6).toFixed(1)} MB sampled${units ? `, ${(total / units / 1024).toFixed(1)} KB per unit over ${units} units` : ''}`,
    '  by package/area:',
    ...lines(byArea),
    '  by allocating function (self):',
    ...lines(byFunction),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, units] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: npx tsx bench/heap-profile.ts <file.heapprofile> [units]');
    process.exit(2);
  }
  console.log(await summarizeHeapProfile(file, units ? Number(units) : undefined));
}
