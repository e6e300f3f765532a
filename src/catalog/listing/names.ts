/**
 * How catalog values are spelled in GraphQL. These rules are part of the public contract
 * (ARCHITECTURE.md): clients write `RATIO_16_9`, `RES_1K`, `AUTO`, `GENERAL_FAST`.
 */

/** `nano-banana-2` -> `nanoBanana2`, `gpt-image-1.5` -> `gptImage15`: the model's field in `GenerateImageInput.model`. */
export function modelFieldName(modelId: string): string {
  const words = modelId.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase())).join('');
  return /^[0-9]/.test(joined) ? `m${joined}` : joined;
}

/** `nano-banana-2` -> `NanoBanana2`: prefix for the model's GraphQL type names. */
export function modelTypeName(modelId: string): string {
  const field = modelFieldName(modelId);
  return field[0]!.toUpperCase() + field.slice(1);
}

/** `aspectRatio` -> `AspectRatio`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/**
 * A raw parameter value as a GraphQL enum value: aspect ratios `16:9` -> `RATIO_16_9`
 * (`9:19.5` -> `RATIO_9_19_5`), resolutions `1K` / `512` -> `RES_1K` / `RES_512`, anything else
 * upper snake case (`general-fast` -> `GENERAL_FAST`, `auto` -> `AUTO`).
 */
export function enumValueName(raw: string): string {
  if (/^\d+(\.\d+)?:\d+(\.\d+)?$/.test(raw)) return `RATIO_${raw.replace(/[:.]/g, '_')}`;
  if (/^\d+(\.\d+)?[kK]?$/.test(raw)) return `RES_${raw.replace('.', '_').toUpperCase()}`;
  const snake = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(snake) ? `V_${snake}` : snake || 'EMPTY';
}
