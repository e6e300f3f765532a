/**
 * What an idle subscription keeps alive: V8 heap snapshots of the Pictor server (ROLE=api) with no
 * subscribers and with N idle `jobsUpdated` subscribers (one socket each, like bench/realtime.ts),
 * compared by object kind: bytes and objects per subscription, largest first.
 *
 *   npx tsx bench/realtime-heap.ts [--subscribers 1000] [--accounts 10] [--top 40]
 *
 * With BENCH_SERVER_ROOT the server runs from that checkout (a before/after comparison).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPictor } from './children.js';
import { createAccounts, flag, formatNumber, metric, parseOptions, positiveNumber, printTable, runBenchmark, sleep, startDatabase } from './lib.js';
import { closeAll, DeliveryTracker, openInBatches, openPictorSubscriber } from './ws-clients.js';

const options = parseOptions(
  {
    subscribers: { default: '1000', description: 'idle subscriptions in the second snapshot' },
    accounts: { default: '10', description: 'accounts the subscribers are spread over' },
    top: { default: '40', description: 'object kinds listed' },
    owners: { default: '0', description: 'set to 1 to list kinds by their first holder (kind <- holder.edge)' },
  },
  'Usage: npx tsx bench/realtime-heap.ts [options]',
);
const subscribers = Math.floor(positiveNumber(options.subscribers, 'subscribers'));
const accountCount = Math.floor(positiveNumber(options.accounts, 'accounts'));
const top = Math.floor(positiveNumber(options.top, 'top'));
const owners = flag(options.owners);

interface Kind {
  count: number;
  bytes: number;
}

/**
 * Self sizes of a snapshot's objects summed by kind (`type:name`, e.g. `object:LogSubscription`)
 * and, with `owners`, by kind and first holder (`kind <- holder kind.edge`): what keeps them.
 */
async function kindsOf(file: string, owners: boolean): Promise<Map<string, Kind>> {
  const snapshot = JSON.parse(await fs.readFile(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const { meta } = snapshot.snapshot;
  const fields = meta.node_fields;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((field) => fields.indexOf(field)) as [number, number, number, number];
  const [edgeTypeAt, edgeNameAt, edgeToAt] = ['type', 'name_or_index', 'to_node'].map((field) => meta.edge_fields.indexOf(field)) as [number, number, number];
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snapshot;
  const kindOf = (node: number) => {
    const type = types[nodes[node + typeAt]!]!;
    return `${type}:${type.includes('string') ? '' : strings[nodes[node + nameAt]!]!.slice(0, 50)}`;
  };
  const holder = new Map<number, string>();
  if (owners) {
    for (let node = 0, edge = 0; node < nodes.length; node += fields.length) {
      const owner = kindOf(node);
      for (let index = 0; index < nodes[node + edgeCountAt]!; index++, edge += meta.edge_fields.length) {
        const edgeType = edgeTypes[edges[edge + edgeTypeAt]!]!;
        const to = edges[edge + edgeToAt]!;
        if (edgeType === 'weak' || holder.has(to)) continue;
        const nameOrIndex = edges[edge + edgeNameAt]!;
        const edgeName = edgeType === 'element' || edgeType === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex]!.slice(0, 30);
        holder.set(to, `${owner}.${edgeName}`);
      }
    }
  }
  const kinds = new Map<string, Kind>();
  for (let node = 0; node < nodes.length; node += fields.length) {
    const key = owners ? `${kindOf(node)} <- ${holder.get(node) ?? '(root)'}` : kindOf(node);
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count++;
    kind.bytes += nodes[node + sizeAt]!;
    kinds.set(key, kind);
  }
  return kinds;
}

async function snapshotOf(pid: number, directory: string): Promise<string> {
  const before = new Set(await fs.readdir(directory));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await sleep(500);
    const file = (await fs.readdir(directory)).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
    if (!file) continue;
    const full = path.join(directory, file);
    // Written in one go; stable size and valid JSON end mean it is complete.
    const size = (await fs.stat(full)).size;
    await sleep(1_000);
    if ((await fs.stat(full)).size === size && size > 0) return full;
  }
}

await runBenchmark(async (cleanup) => {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-heap-'));
  cleanup.add('remove the heap snapshots', () => fs.rm(directory, { recursive: true, force: true }));
  const { url, database } = await startDatabase(cleanup);
  const keys = await createAccounts(database, accountCount, 'heap');
  const server = await startPictor({ databaseUrl: url, role: 'api', nodeFlags: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${directory}`] }, cleanup);
  const tracker = new DeliveryTracker();
  const open = (index: number) => openPictorSubscriber(`ws://127.0.0.1:${server.port}/graphql`, keys[index % accountCount]!.key, index % accountCount, tracker, console.error);
  // Warm-up: lazily loaded code and caches exist before the first snapshot.
  await closeAll(await openInBatches(0, 20, 20, open));
  while ((await metric(server.url, 'pictor_realtime_subscribers')) !== 0) await sleep(100);
  await server.collectGarbage();
  const empty = await kindsOf(await snapshotOf(server.pid, directory), owners);
  const clients = await openInBatches(0, subscribers, 200, open);
  while ((await metric(server.url, 'pictor_realtime_subscribers')) < subscribers) await sleep(100);
  await server.collectGarbage();
  const full = await kindsOf(await snapshotOf(server.pid, directory), owners);
  await closeAll(clients);

  const rows = [...full].map(([key, kind]) => {
    const base = empty.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: (kind.count - base.count) / subscribers, bytes: (kind.bytes - base.bytes) / subscribers };
  });
  rows.sort((left, right) => right.bytes - left.bytes);
  const total = rows.reduce((sum, row) => sum + row.bytes, 0);
  printTable(
    `Heap per idle subscription (${subscribers} subscribers): ${formatNumber(total, 0)} bytes`,
    ['kind', 'objects / subscription', 'bytes / subscription'],
    rows.slice(0, top).map((row) => [row.key, formatNumber(row.count, 2), formatNumber(row.bytes, 0)]),
  );
});
