/**
 * Prompt checks that a length limit cannot express: references to images that were not given,
 * and characters an upstream rejects. Each returns a message for a validation issue, or
 * undefined when the prompt is fine.
 */

/**
 * `[image 2]`, `[Image2]`, `image[2]` and `image [2]`: the ways the reference APIs let a prompt
 * point at one of its reference images (Tripo: "Use the style of image[1] with colors from image[2]").
 */
const ImageReference = /\[\s*image\s*(\d+)\s*\]|\bimage\s*\[\s*(\d+)\s*\]/gi;

/** Every image number the prompt refers to, in order of appearance. */
export function imageReferences(prompt: string): number[] {
  return [...prompt.matchAll(ImageReference)].map((match) => Number(match[1] ?? match[2]));
}

/** A message when the prompt refers to an image number outside 1..referenceCount. */
export function checkImageReferences(prompt: string, referenceCount: number): string | undefined {
  const outOfRange = imageReferences(prompt).filter((index) => index < 1 || index > referenceCount);
  if (outOfRange.length === 0) return undefined;
  const listed = [...new Set(outOfRange)].map((index) => `image ${index}`).join(', ');
  return referenceCount === 0
    ? `prompt refers to ${listed}, but no reference images were given`
    : `prompt refers to ${listed}, but only ${referenceCount} reference image${referenceCount === 1 ? ' was' : 's were'} given (numbered from 1)`;
}

/**
 * Characters Tripo rejects ("emojis and certain special Unicode characters are not supported"):
 * pictographs and emoji components (modifiers, regional indicators, joiners, variation selectors,
 * keycap), private-use, unassigned and surrogate code points, and control characters other than
 * tab and newlines.
 */
const SpecialCharacter = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D\uFE0E\uFE0F\u20E3\p{Co}\p{Cn}\p{Cs}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** A message naming the first rejected character and its code point. */
export function checkSpecialCharacters(prompt: string, modelId: string): string | undefined {
  const match = SpecialCharacter.exec(prompt);
  if (!match) return undefined;
  const character = match[0];
  const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `prompt contains ${JSON.stringify(character)} (${codePoint}) at position ${match.index + 1}; ${modelId} does not accept emoji or special Unicode characters`;
}
