import { ClaySwatch, FigureOnBase, TPoseGuide } from './template-images.js';

/**
 * Tripo's generate_image templates as server-side presets: "the system prepends the
 * template prompt before your prompt and merges template images as additional reference
 * images". Tripo does not publish its template prompts or images, so the prefixes below are
 * Pictor's own wording of each template's documented purpose, and the images (template-images.ts)
 * are Pictor's own guides: a T-pose figure, a clay swatch, a figure on its base. They are
 * appended after the client's references where the model has room for them (left out with a
 * warning where it has not). The same applies to the `tPose` / `sketchToRender` switches, which
 * Pictor carries out as prompt directives.
 */

/** The model ids of Tripo's `model_version` values: the models templates can be used with. */
export const TripoModelIds = ['flux-kontext-pro', 'flux-1-dev', 'gpt-image-1', 'gpt-image-1.5', 'gpt-image-2', 'midjourney', 'nano-banana', 'nano-banana-pro', 'nano-banana-2'] as const;

/** A preset style package applied with `template: slug`. */
export interface TemplateDefinition {
  /** Tripo's slug, also Pictor's id (`t_pose`). */
  readonly slug: string;
  readonly name: string;
  /** Tripo's description. */
  readonly description: string;
  /** Prepended to the client's prompt, separated by a space. */
  readonly promptPrefix: string;
  /**
   * Appended after the client's reference images, as data URLs, where the model has room left
   * (the client's own references come first and keep their `[image N]` numbers).
   */
  readonly referenceImageUrls: readonly string[];
  /** Added to the prompt when the images are merged, saying what they are. */
  readonly referenceImageNote?: string;
  /** Model ids the template can be used with. */
  readonly models: readonly string[];
  /** The model Tripo says it works best with. */
  readonly recommendedModel: string;
  /** The aspect ratio Tripo recommends, when it names one. */
  readonly recommendedAspectRatio?: string;
  /**
   * Tripo lists "Image Input" in the template's "Best with" note: a recommendation, not a
   * requirement (the seed never says one is required), so without an image the job runs with a
   * warning. Always false for `requiresInputImage`.
   */
  readonly bestWithInputImage: boolean;
  /** No template requires an input image: the seed only recommends one. */
  readonly requiresInputImage: false;
  /** Tripo's full "Best with" note, including its 3D settings (Smart Mesh, HD Model). */
  readonly bestWith: string;
}

function template(definition: Omit<TemplateDefinition, 'models' | 'referenceImageUrls' | 'requiresInputImage'> & { referenceImageUrls?: readonly string[] }): TemplateDefinition {
  return { referenceImageUrls: [], ...definition, models: TripoModelIds, requiresInputImage: false };
}

export const templates: readonly TemplateDefinition[] = [
  template({
    slug: 'asset_extraction',
    name: 'Asset extraction',
    description: 'Extract scene elements into separate assets for 3D generation.',
    promptPrefix:
      'Extract each distinct object of the scene in the reference image as a separate, complete asset, laid out side by side on a plain neutral background with even lighting and no overlaps, ready for 3D generation.',
    recommendedModel: 'nano-banana-2',
    recommendedAspectRatio: '16:9',
    bestWithInputImage: true,
    bestWith: 'Nano Banana 2, Image Input, ar 16:9, Smart Mesh',
  }),
  template({
    slug: 'character_completion',
    name: 'Character completion',
    description: 'Complete missing parts to restore a full character.',
    promptPrefix:
      'Complete the character in the reference image: restore any cropped or missing body parts so the full character is visible head to toe, consistent in style, proportions and outfit, on a plain background.',
    recommendedModel: 'nano-banana',
    bestWithInputImage: true,
    bestWith: 'Nano Banana, Image Input',
  }),
  template({
    slug: 't_pose',
    name: 'T-pose',
    description: 'Convert character to standard T-pose for rigging and animation.',
    promptPrefix:
      'Show the character standing in a standard T-pose, facing the viewer, arms straight out to the sides, legs slightly apart, full body, neutral expression, plain background, for rigging and animation.',
    recommendedModel: 'nano-banana',
    recommendedAspectRatio: '1:1',
    bestWithInputImage: false,
    referenceImageUrls: [TPoseGuide],
    referenceImageNote: 'The last reference image is a pose guide: match its T-pose, not its style.',
    bestWith: 'Nano Banana, ar 1:1, Smart Mesh',
  }),
  template({
    slug: 'head_extraction',
    name: 'Head extraction',
    description: 'Extract the head to enhance facial detail for high-fidelity 3D generation.',
    promptPrefix:
      'Isolate the head of the character in the reference image, centered and front-facing, with sharp, high-fidelity facial detail, even lighting and a plain background, for high-fidelity 3D generation.',
    recommendedModel: 'nano-banana',
    recommendedAspectRatio: '1:1',
    bestWithInputImage: true,
    bestWith: 'Nano Banana, ar 1:1, Image Input',
  }),
  template({
    slug: '3d_enhance',
    name: '3D enhance',
    description: 'Enhance 3D structure and detail (2D to 3D).',
    promptPrefix: 'Re-render the subject of the reference image as a detailed 3D model with clear volume, depth, consistent lighting and well-defined surface structure, on a plain background.',
    recommendedModel: 'nano-banana',
    bestWithInputImage: true,
    bestWith: 'Nano Banana, Image Input',
  }),
  template({
    slug: 'variants',
    name: 'Variants',
    description: 'Generate multiple consistent variations based on the original input.',
    promptPrefix: 'Create a consistent variation of the subject, keeping its identity, style and proportions while varying details.',
    recommendedModel: 'nano-banana-2',
    bestWithInputImage: false,
    bestWith: 'Nano Banana 2, Text/Image Input',
  }),
  template({
    slug: 'print_clay',
    name: 'Print clay',
    description: 'Convert to high-contrast clay for 3D printing.',
    promptPrefix:
      'Convert the subject of the reference image into an untextured, high-contrast matte clay sculpture with solid, printable forms and no thin or floating parts, on a plain background, for 3D printing.',
    recommendedModel: 'nano-banana-2',
    bestWithInputImage: true,
    referenceImageUrls: [ClaySwatch],
    referenceImageNote: 'The last reference image is a material swatch: use its matte clay surface.',
    bestWith: 'Nano Banana 2, Image Input, HD Model',
  }),
  template({
    slug: 'figure',
    name: 'Figure',
    description: 'Convert your photo into a stylized figure character.',
    promptPrefix: 'Turn the person or subject in the reference photo into a stylized collectible figure character, full body on a simple base, clean sculpted details, plain background.',
    recommendedModel: 'nano-banana-2',
    bestWithInputImage: true,
    referenceImageUrls: [FigureOnBase],
    referenceImageNote: 'The last reference image is a layout guide: a figure standing on a round display base.',
    bestWith: 'Nano Banana 2, Image Input, HD Model',
  }),
];

const bySlug = new Map(templates.map((entry) => [entry.slug, entry]));

/** The template with this slug, or undefined. */
export function findTemplate(slug: string): TemplateDefinition | undefined {
  return bySlug.get(slug.trim());
}

/** Prompt directives for Tripo's `t_pose` and `sketch_to_render` switches. */
export const PresetDirectives = {
  tPose: 'Transform the character into a standard T-pose (arms straight out to the sides), keeping its main characteristics.',
  sketchToRender: 'Turn the sketch in the first reference image into a fully rendered image, keeping its composition and shapes.',
} as const;

/**
 * The prompt sent upstream: template prefix (and what its images are), the Wonda style's prefix,
 * then preset directives, then the client's prompt
 * (Tripo: the template prompt is prepended before yours).
 */
export function composePrompt(
  prompt: string,
  presets: { template?: TemplateDefinition; templateImagesMerged?: boolean; style?: { promptPrefix: string }; tPose?: boolean; sketchToRender?: boolean },
): string {
  const parts = [
    presets.template?.promptPrefix,
    presets.templateImagesMerged ? presets.template?.referenceImageNote : undefined,
    presets.style?.promptPrefix,
    presets.tPose ? PresetDirectives.tPose : undefined,
    presets.sketchToRender ? PresetDirectives.sketchToRender : undefined,
    prompt,
  ];
  return parts.filter((part): part is string => Boolean(part)).join(' ');
}
