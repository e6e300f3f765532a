import { ratioOf } from '../rules/shapes.js';
import type { GenerationRequest } from '../request.js';

/**
 * How a model's route to Apiframe declares its params (`ModelRoute.plan`): a function from a
 * reader over the request to the `<model>Params` block of Apiframe's `POST /v2/images/generate`
 * body, following Apiframe's per-model pages (https://apiframe.ai/docs/images/<family>/<model>)
 * and the request schema of its OpenAPI document (GenerateImageRequest, published with the
 * official SDK: https://github.com/apiframe-ai/apiframe-nodejs-sdk/blob/main/openapi.json).
 * The reader collects what Apiframe cannot honour as warnings.
 */

/** Where reference image URLs go in a model's params block. */
export interface ReferenceField {
  readonly field: string;
  /** An array of URLs (`image_input`, `input_images`) or a single URL (`image`). */
  readonly list: boolean;
  readonly max: number;
  /** The model cannot run without one (Ideogram Character). */
  readonly required?: boolean;
}

/** How one Pictor model travels in Apiframe's `POST /v2/images/generate` body. */
export interface ApiframePlan {
  /** The `<model>Params` block (`fluxParams`, `nanoBananaParams`, ...); absent when none is sent. */
  readonly paramsKey?: string;
  /** The block's fields apart from references, seed and image count. */
  readonly params: Record<string, unknown>;
  /** Where references go; absent when Apiframe's model takes none. */
  readonly references?: ReferenceField;
  /** Whether the block takes `seed`. */
  readonly seed: boolean;
  /** The block's image-count field and its maximum; absent means one image per job. */
  readonly count?: { readonly field: string; readonly max: number };
  /** Images a job returns whatever is asked (Midjourney's four). */
  readonly imagesPerJob?: number;
  readonly warnings: readonly string[];
}

/** Maps one model's params; the reader collects warnings. */
export type ApiframeBuilder = (reader: ParamReader) => Omit<ApiframePlan, 'warnings'>;

/** Reads a request's params for one mapping and collects what Apiframe cannot honour. */
export class ParamReader {
  readonly warnings: string[] = [];

  /** `isDefault(key)`: whether the request holds the catalog default for `key` (nothing lost if dropped). */
  constructor(
    readonly request: GenerationRequest,
    private readonly catalogDefault: (key: string) => boolean,
  ) {}

  get model(): string {
    return this.request.upstreamModel;
  }

  value(key: string): unknown {
    return this.request.params[key];
  }

  string(key: string): string | undefined {
    const value = this.request.params[key];
    return typeof value === 'string' ? value : undefined;
  }

  /** Whether the client chose something other than the catalog default for `key`. */
  isDefault(key: string): boolean {
    return this.catalogDefault(key);
  }

  /** Warns that `key` could not be applied, unless it holds the catalog default (nothing to lose). */
  unsupported(key: string, reason = `Apiframe's ${this.model} has no such setting`): void {
    const value = this.request.params[key];
    if (value === undefined || value === '' || this.isDefault(key)) return;
    this.warnings.push(`${key} ${JSON.stringify(value)} was not applied: ${reason}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /**
   * The ratio from `key` among the ratios Apiframe's model takes; the nearest one (with a warning)
   * when the exact ratio is not offered. `auto` and absent values give undefined, which leaves the
   * choice to the model.
   */
  ratio(key: string, allowed: readonly string[]): string | undefined {
    const requested = this.string(key);
    if (!requested || requested === 'auto') return undefined;
    const nearest = nearestRatio(requested, allowed);
    if (nearest !== requested) this.warnings.push(`${key} ${requested} is not offered by Apiframe's ${this.model}; ${nearest} was used`);
    return nearest;
  }

  /** Apiframe's spelling of the requested output format, when the model has such a field. */
  outputFormat(spellings: Partial<Record<'png' | 'jpeg' | 'webp', string>>): string | undefined {
    const format = this.request.output.format;
    // Formats the model cannot make are converted by Pictor afterwards: nothing is lost.
    return format === 'png' || format === 'jpeg' || format === 'webp' ? spellings[format] : undefined;
  }
}

/** The allowed ratio closest to `requested` (by log distance, so 2:1 and 1:2 are equally far from 1:1). */
export function nearestRatio(requested: string, allowed: readonly string[]): string {
  if (allowed.includes(requested)) return requested;
  const target = ratioOf(requested);
  if (target === undefined) return allowed[0];
  let best = allowed[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const value = ratioOf(candidate);
    if (value === undefined) continue;
    const distance = Math.abs(Math.log(value / target));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `1024x768` as the reduced ratio `4:3`. */
export function reducedRatio(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height) || 1;
  return `${width / divisor}:${height / divisor}`;
}

/** fal-style size presets (used by several catalog models) as the aspect ratio they stand for. */
export const PresetRatios: Readonly<Record<string, string>> = {
  square_hd: '1:1',
  square: '1:1',
  portrait_4_3: '3:4',
  portrait_16_9: '9:16',
  landscape_4_3: '4:3',
  landscape_16_9: '16:9',
};

/** A fal size preset as Apiframe's ratio; fal's 512x512 `square` has no Apiframe equivalent. */
export function presetRatio(reader: ParamReader, key: string, sizeNote: string): string | undefined {
  const preset = reader.string(key);
  if (preset === 'square') reader.warn(`${key} square (512x512) is not offered by Apiframe's ${reader.model}; 1:1 at ${sizeNote} was used`);
  return preset ? PresetRatios[preset] : undefined;
}

/** Removes undefined fields so the body shows only what was chosen. */
export function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** Output format spellings most Apiframe models share. */
export const ApiframeJpgPng = { png: 'png', jpeg: 'jpg' } as const;
export const ApiframeJpgPngWebp = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;
