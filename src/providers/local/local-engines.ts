import type { LocalEngineConfig } from '../../config.js';
import type { ImageProvider } from '../spec.js';
import { LocalBackgroundRemovalProvider } from './background-removal-provider.js';
import { LocalEnginePool } from './engine-pool.js';
import { localEngineStatus, type LocalEngineId, type LocalEngineState } from './engine-status.js';
import { LocalVectorizeProvider } from './vectorize-provider.js';

/**
 * The package-backed local engines this installation can run, sharing one process pool (so
 * LOCAL_ENGINE_CONCURRENCY and LOCAL_ENGINE_MEMORY_MB bound them together). An engine whose
 * package is missing is left out; the `models` query then says why (`localEngineReasons`).
 */
export function createLocalEngines(config: LocalEngineConfig, status: ReadonlyMap<LocalEngineId, LocalEngineState> = localEngineStatus()): ImageProvider[] {
  const pool = new LocalEnginePool(config);
  const engines: ImageProvider[] = [];
  if (status.get('local-background-removal')?.available) engines.push(new LocalBackgroundRemovalProvider(pool));
  if (status.get('local-vectorize')?.available) engines.push(new LocalVectorizeProvider(pool));
  return engines;
}
