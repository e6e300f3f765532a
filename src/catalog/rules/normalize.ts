import type { OutputFormat, OutputRequest } from '../request.js';
import { OptionIssueCodes, type ValidationIssue } from './issues.js';
import { describeParameter } from '../listing/describe.js';
import {
  describeShapeValue,
  fitDimensions,
  formatRatio,
  NormalizedResolutions,
  nearestResolutionValue,
  nearestShapeValue,
  parsePixelSize,
  parseResolutionTier,
  ratioDistance,
  ratioOf,
  sideDistance,
  type DimensionBounds,
} from './shapes.js';
import type { ModelDefinition } from '../spec.js';

/**
 * Applies Pictor's model-agnostic options (as OpenRouter's image API has them) to one model:
 * the requested aspect ratio, resolution tier or size becomes the nearest value the model's
 * own params allow, with a warning when that is not exactly what was asked; impossible
 * combinations become issues. Explicit model params always win over these options.
 *
 * The split with shapes.ts is by concern and one way: this module knows models and requests
 * and is the only one validation calls; shapes.ts is the arithmetic (ratios, tiers, pixel
 * sizes) it uses, shared with the providers' value converters, and calls nothing back.
 */

/** Model-agnostic output options a client may send with any model. */
export interface NormalizedOptions {
  /** Any `"w:h"` ratio (`"16:9"`, `"7:3"`), or `"auto"` where the model has it. */
  readonly aspectRatio?: string;
  /** `512`, `1K`, `2K` or `4K`. */
  readonly resolution?: string;
  /** A tier (`"2K"`) or pixels (`"2048x1536"`); conflicts with a different aspectRatio/resolution. */
  readonly size?: string;
  readonly background?: 'auto' | 'transparent' | 'opaque';
  readonly outputFormat?: OutputFormat | 'svg';
  /** 0-100, for webp and jpeg output. */
  readonly outputCompression?: number;
}

export interface NormalizationResult {
  /** The raw params with normalized values filled in (explicit params untouched). */
  readonly params: Record<string, unknown>;
  readonly warnings: string[];
  readonly issues: ValidationIssue[];
  readonly output: OutputRequest;
}

const TransparentFormats: readonly string[] = ['png', 'webp'];
const CompressibleFormats: readonly string[] = ['webp', 'jpeg'];

/** The wanted shape after parsing and cross-checking the three shape options. */
interface ShapeWish {
  ratio?: number;
  ratioLabel?: string;
  side?: number;
  sideLabel?: string;
  pixels?: { width: number; height: number };
  auto?: boolean;
}

/**
 * Helpers of the two functions below live at module level: the server runs through tsx, whose
 * transform names every function created inside another at each call (`Object.defineProperty`),
 * which cost about 1% of a submission's CPU when these were closures.
 */
function optionIssue(issues: ValidationIssue[], name: string, message: string, code: string = OptionIssueCodes.invalidOption): void {
  issues.push({ path: ['options', name], message, code });
}

function skipOption(warnings: string[], name: string, option: string): void {
  warnings.push(`options.${option} was not applied: params.${name} was given and takes precedence`);
}

function parseShapeOptions(options: NormalizedOptions, issues: ValidationIssue[]): ShapeWish {
  const wish: ShapeWish = {};
  if (options.aspectRatio !== undefined) {
    if (options.aspectRatio === 'auto') wish.auto = true;
    else {
      const ratio = ratioOf(options.aspectRatio);
      if (ratio === undefined) optionIssue(issues, 'aspectRatio', `aspectRatio must be "w:h" (like "16:9") or "auto", got ${JSON.stringify(options.aspectRatio)}`);
      else Object.assign(wish, { ratio, ratioLabel: options.aspectRatio });
    }
  }
  if (options.resolution !== undefined) {
    const side = parseResolutionTier(options.resolution);
    if (side === undefined) optionIssue(issues, 'resolution', `resolution must be one of 512, 1K, 2K, 4K, got ${JSON.stringify(options.resolution)}`);
    else Object.assign(wish, { side, sideLabel: options.resolution });
  }
  if (options.size !== undefined) {
    const pixels = parsePixelSize(options.size);
    const tier = pixels ? undefined : parseResolutionTier(options.size);
    if (!pixels && tier === undefined) {
      optionIssue(issues, 'size', `size must be a tier ("2K") or pixels ("2048x1536"), got ${JSON.stringify(options.size)}`);
      return wish;
    }
    const sizeSide = pixels ? Math.sqrt(pixels.width * pixels.height) : tier!;
    if (wish.side !== undefined) {
      // Pixels count as the tier they are nearest to; a tier must match exactly.
      const sizeTierSide = pixels ? parseResolutionTier(nearestResolutionValue(NormalizedResolutions, sizeSide) ?? '') : tier;
      if (sizeTierSide !== wish.side) {
        optionIssue(issues, 'size', `size ${options.size} conflicts with resolution ${options.resolution}; send one of them`, OptionIssueCodes.conflictingOptions);
      }
    }
    if (pixels && wish.ratio !== undefined && ratioDistance(pixels.width / pixels.height, wish.ratio) > 0.01) {
      optionIssue(issues, 'size', `size ${options.size} conflicts with aspectRatio ${options.aspectRatio}; send one of them`, OptionIssueCodes.conflictingOptions);
    }
    if (pixels) Object.assign(wish, { pixels, ratio: pixels.width / pixels.height, ratioLabel: formatRatio(pixels.width / pixels.height) });
    Object.assign(wish, { side: sizeSide, sideLabel: options.size });
  }
  return wish;
}

function enumValues(model: ModelDefinition, name: string): readonly string[] {
  return describeParameter(model, name)?.allowedValues ?? [];
}

function currentValue(model: ModelDefinition, params: Record<string, unknown>, name: string): unknown {
  return params[name] ?? describeParameter(model, name)?.default;
}

function bounds(model: ModelDefinition, name: string): DimensionBounds {
  const parameter = describeParameter(model, name);
  return { min: parameter?.min ?? 64, max: parameter?.max ?? 4096, multipleOf: parameter?.multipleOf ?? 8 };
}

/** Fills the model's shape params from the wish; returns which wishes found a home. */
function applyShape(model: ModelDefinition, params: Record<string, unknown>, wish: ShapeWish, warnings: string[]): { ratio: boolean; side: boolean } {
  const names = model.normalization ?? {};
  const handled = { ratio: false, side: false };

  if (names.dimensions && (wish.ratio !== undefined || wish.side !== undefined)) {
    const { width, height } = names.dimensions;
    handled.ratio = handled.side = true;
    if (params[width] !== undefined || params[height] !== undefined) skipOption(warnings, `${width}/${height}`, 'aspectRatio/resolution/size');
    else {
      const currentWidth = Number(currentValue(model, params, width));
      const currentHeight = Number(currentValue(model, params, height));
      const ratio = wish.ratio ?? currentWidth / currentHeight;
      const side = wish.side ?? Math.sqrt(currentWidth * currentHeight);
      const fitted = fitDimensions(ratio, side, bounds(model, width), bounds(model, height));
      params[width] = fitted.width;
      params[height] = fitted.height;
      const exact = wish.pixels && wish.pixels.width === fitted.width && wish.pixels.height === fitted.height;
      if (!exact && (ratioDistance(fitted.width / fitted.height, ratio) > 0.02 || sideDistance(Math.sqrt(fitted.width * fitted.height), side) > 0.1)) {
        warnings.push(`${model.id} cannot render ${wish.ratioLabel ?? formatRatio(ratio)} at ${wish.sideLabel ?? Math.round(side)}; using ${fitted.width}x${fitted.height} (nearest it allows)`);
      }
    }
  }

  const shapeParam = names.aspectRatio;
  const tierParam = names.resolution;
  if (shapeParam && (wish.ratio !== undefined || wish.auto || (wish.side !== undefined && tierParam === shapeParam))) {
    handled.ratio = true;
    if (tierParam === shapeParam) handled.side = true;
    if (params[shapeParam] !== undefined) skipOption(warnings, shapeParam, 'aspectRatio');
    else {
      const allowed = enumValues(model, shapeParam);
      if (wish.auto) {
        if (allowed.includes('auto')) params[shapeParam] = 'auto';
        else warnings.push(`${model.id} has no automatic aspect ratio; options.aspectRatio "auto" was ignored`);
      } else {
        const keepRatio = describeShapeValue(String(currentValue(model, params, shapeParam) ?? ''))?.ratio;
        const sideWanted = tierParam === shapeParam ? wish.side : undefined;
        const chosen = nearestShapeValue(allowed, { ratio: wish.ratio, side: sideWanted, keepRatio });
        if (chosen !== undefined) {
          params[shapeParam] = chosen;
          const shape = describeShapeValue(chosen);
          const ratioOff = wish.ratio !== undefined && (shape?.ratio === undefined || ratioDistance(shape.ratio, wish.ratio) > 1e-3);
          const sideOff = sideWanted !== undefined && (shape?.side === undefined || sideDistance(shape.side, sideWanted) > 0.05);
          if (ratioOff || sideOff) {
            const asked = [wish.ratioLabel, sideWanted !== undefined ? wish.sideLabel : undefined].filter(Boolean).join(' at ');
            warnings.push(`${model.id} does not offer ${asked}; using ${shapeParam} ${chosen} (nearest it supports)`);
          }
        }
      }
    }
  }

  if (tierParam && tierParam !== shapeParam && wish.side !== undefined) {
    handled.side = true;
    if (params[tierParam] !== undefined) skipOption(warnings, tierParam, 'resolution');
    else {
      // Tier values (`2K`) or, for a pixel-size param that only takes resolution, sizes of the current shape.
      const allowed = enumValues(model, tierParam);
      const keepRatio = describeShapeValue(String(currentValue(model, params, tierParam) ?? ''))?.ratio;
      const chosen = nearestResolutionValue(allowed, wish.side) ?? nearestShapeValue(allowed, { side: wish.side, keepRatio });
      if (chosen !== undefined) {
        params[tierParam] = chosen;
        const chosenSide = parseResolutionTier(chosen) ?? describeShapeValue(chosen)?.side ?? 0;
        if (sideDistance(chosenSide, wish.side) > 0.05) {
          warnings.push(`${model.id} does not offer ${wish.sideLabel}; using ${tierParam} ${chosen} (nearest it supports)`);
        }
      }
    }
  }
  return handled;
}

/** Applies normalized options to raw params. Never throws; problems come back as issues. */
export function normalizeOptions(model: ModelDefinition, rawParams: Readonly<Record<string, unknown>>, options: NormalizedOptions = {}): NormalizationResult {
  const params: Record<string, unknown> = { ...rawParams };
  const warnings: string[] = [];
  const issues: ValidationIssue[] = [];
  const names = model.normalization ?? {};

  const wish = parseShapeOptions(options, issues);
  const handled = applyShape(model, params, wish, warnings);
  if ((wish.ratio !== undefined || wish.auto) && !handled.ratio) warnings.push(`${model.id} has no aspect ratio setting; options.aspectRatio was ignored`);
  if (wish.side !== undefined && !handled.side) warnings.push(`${model.id} has no resolution setting; the requested ${wish.sideLabel} was not applied`);

  // Background: the model's own param when it has one, else the runner's output option.
  let background = options.background;
  if (names.background) {
    if (background !== undefined && params[names.background] === undefined) params[names.background] = background;
    else if (background !== undefined && params[names.background] !== background) {
      warnings.push(`options.background was not applied: params.${names.background} was given and takes precedence`);
    }
    const value = currentValue(model, params, names.background);
    background = value === 'transparent' || value === 'opaque' || value === 'auto' ? value : background;
  }
  if (background === 'transparent' && !model.capabilities.transparentBackground) {
    issues.push({ path: ['options', 'background'], message: `${model.id} cannot produce a transparent background`, code: OptionIssueCodes.unsupportedBackground });
  }

  // Output format: explicit param, then option, then png when transparency needs alpha.
  let format: string | undefined = options.outputFormat;
  if (names.outputFormat) {
    if (format !== undefined && params[names.outputFormat] === undefined) params[names.outputFormat] = format;
    format = String(currentValue(model, params, names.outputFormat) ?? format);
  }
  if (format !== undefined && !model.capabilities.outputFormats.includes(format as OutputFormat)) {
    issues.push({
      path: ['options', 'outputFormat'],
      message: `${model.id} cannot output ${format}; allowed formats: ${model.capabilities.outputFormats.join(', ')}`,
      code: OptionIssueCodes.unsupportedOutputFormat,
    });
  }
  const needsAlpha = background === 'transparent' && model.capabilities.transparentBackground;
  if (needsAlpha && format === undefined) format = model.capabilities.outputFormats.find((candidate) => TransparentFormats.includes(candidate));
  if (needsAlpha && format !== undefined && format !== 'svg' && !TransparentFormats.includes(format)) {
    issues.push({ path: ['options', 'outputFormat'], message: `a transparent background requires png or webp output, not ${format}`, code: OptionIssueCodes.unsupportedBackground });
  }

  let compression = options.outputCompression;
  if (compression !== undefined) {
    if (!Number.isInteger(compression) || compression < 0 || compression > 100) {
      issues.push({ path: ['options', 'outputCompression'], message: `outputCompression must be an integer from 0 to 100, got ${compression}`, code: OptionIssueCodes.invalidOption });
      compression = undefined;
    } else if (format === undefined || !CompressibleFormats.includes(format)) {
      warnings.push(`outputCompression applies to webp and jpeg output only; ignored for ${format ?? 'the default format'}`);
      compression = undefined;
    }
  }

  const output: { -readonly [Key in keyof OutputRequest]: OutputRequest[Key] } = {};
  if (format !== undefined) output.format = format as OutputRequest['format'];
  if (compression !== undefined) output.compression = compression;
  if (background !== undefined) output.background = background;
  return { params, warnings, issues, output };
}
