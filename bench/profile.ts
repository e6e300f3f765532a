/**
 * Summary of a V8 `.cpuprofile` (from server-probe.ts or `node --cpu-prof`): self time by function and by
 * package, so a benchmark can say where the server's CPU went without opening DevTools.
 */
import fs from 'node:fs/promises';

/** Where a profile's node runs: the same in CPU and heap profiles. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled wall time of the profile, in seconds (idle included). */
  seconds: number;
  /** Busy (non-idle) share by package or area, percent of all samples. */
  byPackage: { name: string; percent: number }[];
  /** Top functions by self time, percent of all samples. */
  byFunction: { name: string; percent: number }[];
  /** Top functions by inclusive time (samples with the function anywhere on the stack, counted once), percent of all samples. */
  inclusive: { name: string; percent: number }[];
  text: string;
}

/** `node_modules/<package>`, `node:<module>`, `src/<dir>` or a V8 pseudo-node such as `(garbage collector)`. */
export function area(node: { callFrame: CallFrame }): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1]!;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const sourceMatch = /\/(src|bench)\/([^/]+)/.exec(url);
  if (sourceMatch) return `${sourceMatch[1]}/${sourceMatch[2]}`;
  return url;
}

/** A function as the summaries name it: its name, then its file within the package or the tree, and its line. */
export function describe(node: { callFrame: CallFrame }): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/(src|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
}

export async function summarizeProfile(file: string, top = 20): Promise<ProfileSummary> {
  const profile = JSON.parse(await fs.readFile(file, 'utf8')) as CpuProfile;
  const total = profile.samples.length || 1;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<number, number>();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    packages.set(area(node), (packages.get(area(node)) ?? 0) + count);
    functions.set(describe(node), (functions.get(describe(node)) ?? 0) + count);
  }
  const ranked = (counts: Map<string, number>, limit: number) =>
    [...counts]
      .sort((left, right) => right[1] - left[1])
      .slice(0, limit)
      .map(([name, count]) => ({ name, percent: (count / total) * 100 }));
  // Inclusive: each sample counts once for every distinct function on its stack.
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const onStack = new Map<string, number>();
  for (const [id, count] of hits) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const node = byId.get(at);
      if (!node || node.callFrame.functionName === '(root)') continue;
      seen.add(describe(node));
    }
    for (const name of seen) onStack.set(name, (onStack.get(name) ?? 0) + count);
  }
  const byPackage = ranked(packages, 15);
  const byFunction = ranked(functions, top);
  const inclusive = ranked(onStack, top * 2);
  const text = [
    '  by package/area (% of samples):',
    ...byPackage.map((entry) => `    ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`),
    '  by function (self, % of samples):',
    ...byFunction.map((entry) => `    ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`),
    '  by function (inclusive: on the stack, % of samples):',
    ...inclusive.map((entry) => `    ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`),
  ].join('\n');
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  // The profile itself is large and git-ignored; this text beside it can be kept with the results.
  await fs.writeFile(file.replace(/\.(json|cpuprofile)$/, '.txt'), `${file.split('/').pop()}: ${seconds.toFixed(1)} s sampled, ${profile.samples.length} samples\n${text}\n`);
  return { file, seconds, byPackage, byFunction, inclusive, text };
}

// `npx tsx bench/profile.ts <file.cpuprofile>` prints the summary of an existing profile.
if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npx tsx bench/profile.ts <file.cpuprofile>');
    process.exit(2);
  }
  console.log((await summarizeProfile(file, 30)).text);
}
