import { describeShapeValue, fitDimensions, formatRatio, ratioDistance, ratioOf, ResolutionSides, type DimensionBounds } from '../rules/shapes.js';
import type { Convert, Expand, ExpandRule, MappingContext } from './input-spec.js';

/**
 * The few value conversions the routes' input mappings need beyond renaming and value lookups: pixel
 * sizes from ratios and tiers, fal's `image_size` object or preset, numeric ranges. Each one
 * warns when the upstream cannot take the exact value asked for.
 */

/** A number kept inside the upstream's range, with a warning when it had to move. */
export function clamped(name: string, min: number, max: number): Convert {
  return (value, context) => {
    const number = Number(value);
    const kept = Math.min(max, Math.max(min, number));
    if (kept !== number) context.warn(`${name} ${number} is outside ${context.provider}'s range ${min}-${max} for ${context.request.modelId}; ${kept} was used`);
    return kept;
  };
}

/** fal spells BFL's safety tolerance as a string enum ("1".."6"). */
export function toleranceString(min: number, max: number): Convert {
  const clamp = clamped('safetyTolerance', min, max);
  return (value, context) => String(clamp(value, context));
}

/** fal's named `image_size` presets and the ratio each one has at about one megapixel. */
const FalPresetRatios: Readonly<Record<string, number>> = {
  square_hd: 1,
  landscape_4_3: 4 / 3,
  portrait_4_3: 3 / 4,
  landscape_16_9: 16 / 9,
  portrait_16_9: 9 / 16,
};

/** The preset for a ratio at about one megapixel, or undefined when none has that exact shape. */
function falPreset(ratio: number): string | undefined {
  return Object.entries(FalPresetRatios).find(([, presetRatio]) => ratioDistance(ratio, presetRatio) < 1e-3)?.[0];
}

const AnySize: DimensionBounds = { min: 256, max: 4096, multipleOf: 16 };

/**
 * fal's `image_size` from a `w:h` aspect ratio at about one megapixel: the named preset when one
 * has that shape (what fal documents), else a `{ width, height }` object.
 */
export function falImageSizeFromRatio(field = 'image_size'): ExpandRule {
  return {
    expand: (value) => {
      const ratio = ratioOf(String(value));
      if (ratio === undefined) return { [field]: value };
      return { [field]: falPreset(ratio) ?? fitDimensions(ratio, 1024, AnySize, AnySize) };
    },
  };
}

/** `{ width, height }` from the `width` and `height` params (mark `height` handled elsewhere). */
export function falImageSizeFromDimensions(field = 'image_size'): ExpandRule {
  return { expand: (_value, context) => ({ [field]: { width: Number(context.request.params.width), height: Number(context.request.params.height) } }) };
}

/**
 * `{ width, height }` for the `aspectRatio` param at the `resolution` param's tier (`1K`, `2K`,
 * `4K`), kept within the upstream's bounds; `fixedTier` stands in for models without a
 * resolution param.
 */
export function sizeFromRatioAndTier(bounds: DimensionBounds, options: { field?: string; fixedTier?: keyof typeof ResolutionSides } = {}): ExpandRule {
  return {
    expand: (value, context) => {
      const ratio = ratioOf(String(value));
      const tier = options.fixedTier ?? (String(context.request.params.resolution ?? '1K') as keyof typeof ResolutionSides);
      const side = ResolutionSides[tier] ?? 1024;
      if (ratio === undefined) return {};
      const size = fitted(ratio, side, bounds, context);
      return options.field ? { [options.field]: size } : size;
    },
  };
}

/**
 * Replicate's FLUX-style custom size: `aspect_ratio: "custom"` with `width` and `height` from
 * the params, kept within the model's bounds.
 */
export function customDimensions(bounds: DimensionBounds): ExpandRule {
  return {
    expand: (_value, context) => {
      const width = Number(context.request.params.width);
      const height = Number(context.request.params.height);
      return { aspect_ratio: 'custom', ...fitted(width / height, Math.sqrt(width * height), bounds, context, { width, height }) };
    },
  };
}

/** The listed aspect ratio nearest to the `width` x `height` params, for upstreams without a pixel size. */
export function nearestRatioFromDimensions(allowed: readonly string[], field = 'aspect_ratio'): ExpandRule {
  return {
    expand: (_value, context) => {
      const width = Number(context.request.params.width);
      const height = Number(context.request.params.height);
      const wanted = width / height;
      const nearest = allowed.reduce((best, candidate) => (ratioDistance(wanted, ratioOf(candidate)!) < ratioDistance(wanted, ratioOf(best)!) ? candidate : best));
      const areaChange = Math.abs((width * height) / (1024 * 1024) - 1);
      if (ratioDistance(wanted, ratioOf(nearest)!) > 1e-3 || areaChange > 0.25) {
        context.warn(`${context.request.modelId} on ${context.provider} takes an aspect ratio, not a pixel size: ${width}x${height} ran as ${nearest} at about one megapixel`);
      }
      return { [field]: nearest };
    },
  };
}

/** `{ width, height }` for the `aspectRatio` param at about one megapixel. */
export function dimensionsFromRatio(bounds: DimensionBounds): ExpandRule {
  return sizeFromRatioAndTier(bounds, { fixedTier: '1K' });
}

/** The `w:h` ratio a fal-style preset or `WxH` value stands for (`landscape_16_9` -> `16:9`). */
export const ratioOfShape: Convert = (value) => {
  const shape = describeShapeValue(String(value));
  return shape?.ratio === undefined ? undefined : formatRatio(shape.ratio);
};

/** The value unchanged, except that `auto` (let the upstream decide) is not sent. */
export const omitAuto: Convert = (value) => (value === 'auto' ? undefined : value);

function fitted(ratio: number, side: number, bounds: DimensionBounds, context: MappingContext, wanted?: { width: number; height: number }): { width: number; height: number } {
  const size = fitDimensions(ratio, side, bounds, bounds);
  if (wanted && (size.width !== wanted.width || size.height !== wanted.height)) {
    context.warn(
      `${wanted.width}x${wanted.height} is outside ${context.provider}'s limits for ${context.request.modelId} (${bounds.min}-${bounds.max} pixels, multiples of ${bounds.multipleOf}); ${size.width}x${size.height} was used`,
    );
  }
  return size;
}

/** Builds an expand rule from a plain function, for one-off shapes in a route's mapping. */
export function expand(fields: Expand): ExpandRule {
  return { expand: fields };
}
