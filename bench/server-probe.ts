/**
 * Preloaded (`--import`) into benchmark server children (started with `--expose-gc` and an IPC
 * channel) so the benchmark can look inside without touching the server's code:
 *   { type: 'gc' }            -> full garbage collection, then `process.memoryUsage()`: RSS is
 *                                compared between settled heaps, not whatever garbage was alive.
 *   { type: 'stats' }         -> event-loop delay and GC pauses since the previous 'stats'
 *                                request (see loop-probe.ts), forced GCs excluded.
 *   { type: 'profile-start' } -> starts the V8 CPU profiler (through the in-process inspector),
 *   { type: 'profile-stop', file } writes the profile to `file`: a profile of exactly the
 *                                measured window, without start-up or idle phases. With
 *                                BENCH_HEAP_PROFILE=allocated (or survivors: only what outlived a
 *                                scavenge) a sampling heap profile of the same window goes beside
 *                                it as `.heapprofile` (summary: `npx tsx bench/heap-profile.ts`).
 * The observers cost next to nothing; the channel is unref'd so it never keeps the process alive.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createLoopProbe } from './loop-probe.js';

export type ProbeRequest = { type: 'gc' } | { type: 'stats' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

const collect = (globalThis as { gc?: () => void }).gc;
const probe = createLoopProbe();
let session: Session | undefined;
/** BENCH_HEAP_PROFILE=allocated|survivors: a sampling heap profile beside each CPU profile. */
const heapMode = process.env.BENCH_HEAP_PROFILE;
if (heapMode && heapMode !== 'allocated' && heapMode !== 'survivors') throw new Error('BENCH_HEAP_PROFILE: allocated or survivors');

async function answer(request: ProbeRequest): Promise<Record<string, unknown>> {
  switch (request.type) {
    case 'gc':
      probe.excluding(() => collect?.());
      return { memory: process.memoryUsage() };
    case 'stats':
      return { stats: probe.stats() };
    case 'profile-start':
      if (!session) {
        session = new Session();
        session.connect();
      }
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      if (heapMode) {
        // 'allocated': every sampled allocation; 'survivors': those that outlived a scavenge.
        const allocated = heapMode === 'allocated';
        await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: allocated });
      }
      return {};
    case 'profile-stop': {
      if (!session) throw new Error('profiler not started');
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(request.file, JSON.stringify(profile));
      if (heapMode) {
        const { profile: heap } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(request.file.replace(/\.json$/, '.heapprofile'), JSON.stringify(heap));
      }
      return {};
    }
  }
}

if (process.send) {
  process.on('message', (message: ProbeRequest & { id: number }) => {
    answer(message).then(
      (reply) => process.send!({ id: message.id, ...reply }),
      (error: unknown) => process.send!({ id: message.id, error: String(error) }),
    );
  });
  process.channel?.unref();
}
