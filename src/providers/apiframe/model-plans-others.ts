import { compact, presetRatio, type Builder, type ParamReader } from './plan.js';

/**
 * Apiframe mappings for Ideogram, Imagen, Kling, Qwen, Wan, Grok Imagine and Reve (see
 * model-plans.ts for the sources). Each lists the values Apiframe documents for the model; Pictor
 * values outside them go to the nearest one with a warning.
 */

/** MagicPrompt: Pictor's `expandPrompt` switch as Ideogram's option. */
function magicPrompt(reader: ParamReader): string | undefined {
  const expand = reader.value('expandPrompt');
  return typeof expand === 'boolean' ? (expand ? 'On' : 'Off') : undefined;
}

/** Ideogram V2 styles (fal's lower-case names) as Ideogram's own style types. */
const IdeogramV2Styles: Readonly<Record<string, string>> = {
  auto: 'Auto',
  general: 'General',
  realistic: 'Realistic',
  design: 'Design',
  render_3D: 'Render 3D',
  anime: 'Anime',
};

const ideogramV2: Builder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.string('aspectRatio'),
    style_type: IdeogramV2Styles[reader.string('style') ?? ''],
    magic_prompt_option: magicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  seed: true,
});

/** "Values: 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3, 16:10, 10:16, 3:1, 1:3" (Ideogram V3 pages). */
const IdeogramV3Ratios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '16:10', '10:16', '3:1', '1:3'];

/** AUTO -> Auto, REALISTIC -> Realistic, ... */
function titleCase(value: string | undefined): string | undefined {
  return value ? value.charAt(0) + value.slice(1).toLowerCase() : undefined;
}

const ideogramV3: Builder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.ratio('aspectRatio', IdeogramV3Ratios),
    style_type: titleCase(reader.string('style')),
    magic_prompt_option: magicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  references: { field: 'style_reference_images', list: true, max: 3 },
  seed: true,
});

/** Pictor's (fal's) rendering speeds as Apiframe's Ideogram Character tiers. */
const CharacterSpeeds: Readonly<Record<string, string>> = { TURBO: 'turbo', BALANCED: 'default', QUALITY: 'quality' };

const ideogramCharacter: Builder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.ratio('aspectRatio', IdeogramV3Ratios),
    rendering_speed: CharacterSpeeds[reader.string('renderingSpeed') ?? ''],
    style_type: titleCase(reader.string('style')),
    magic_prompt_option: magicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  references: { field: 'character_reference_image', list: false, max: 1, required: true },
  seed: true,
});

const imagen: Builder = (reader) => {
  reader.unsupported('personGeneration', "Apiframe's Imagen models apply Google's default person policy");
  return {
    paramsKey: 'imagenParams',
    params: compact({
      aspect_ratio: reader.string('aspectRatio'),
      image_size: reader.string('resolution'),
      output_format: reader.outputFormat({ png: 'png', jpeg: 'jpg' }),
    }),
    seed: false,
  };
};

const kling: Builder = (reader) => {
  reader.unsupported('resolution', "Apiframe's kling-image renders at Kling's standard resolution");
  return {
    paramsKey: 'klingImageParams',
    params: compact({
      // The newest of the three Kling image models Apiframe offers (its default is kling-v1).
      model_name: 'kling-v2',
      aspect_ratio: reader.ratio('aspectRatio', ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3']),
      negative_prompt: reader.string('negativePrompt'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: false,
    count: { field: 'n', max: 4 },
  };
};

const qwenImage: Builder = (reader) => ({
  paramsKey: 'qwenImageParams',
  params: compact({
    image_size: reader.string('imageSize'),
    num_inference_steps: reader.value('numInferenceSteps'),
    guidance_scale: reader.value('guidanceScale'),
    acceleration: reader.string('acceleration'),
    negative_prompt: reader.string('negativePrompt'),
    // With an input image Qwen edits it (Qwen-Image-Edit), as fal's edit endpoint does.
    task_type: reader.request.references.length > 0 ? 'image-edit' : undefined,
    output_format: reader.outputFormat({ png: 'png', jpeg: 'jpeg' }),
  }),
  references: { field: 'image_url', list: false, max: 1 },
  seed: true,
  count: { field: 'num_images', max: 4 },
});

const qwenImage2: Builder = (reader) => {
  reader.unsupported('resolution', "Apiframe's Qwen Image 2 renders at its default resolution");
  reader.unsupported('enablePromptExpansion', "Apiframe's Qwen Image 2 always expands the prompt");
  return {
    paramsKey: 'qwenImage2Params',
    params: compact({
      aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9', '2:1', '1:2']),
      negative_prompt: reader.string('negativePrompt'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: true,
  };
};

const wan26: Builder = (reader) => ({
  paramsKey: 'wanImageParams',
  params: compact({ aspect_ratio: presetRatio(reader, 'imageSize', 'its default size'), negative_prompt: reader.string('negativePrompt') }),
  references: { field: 'image', list: false, max: 1 },
  seed: true,
});

const wan27: Builder = (reader) => {
  reader.unsupported('resolution', "Apiframe's Wan 2.7 renders at its default resolution");
  return {
    paramsKey: 'wanImage27Params',
    params: compact({
      aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9']),
      thinking_mode: reader.value('thinkingMode'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: true,
  };
};

const grokImagine: Builder = (reader) => {
  reader.unsupported('resolution', "Apiframe's grok-imagine-image renders at xAI's default resolution");
  return {
    paramsKey: 'grokImagineParams',
    params: compact({ aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '16:9', '9:16']) }),
    references: { field: 'image', list: false, max: 1 },
    seed: false,
  };
};

const reve: Builder = (reader) => ({ paramsKey: 'reveParams', params: compact({ aspect_ratio: reader.string('aspectRatio') }), seed: true });

export const OtherBuilders: Readonly<Record<string, Builder>> = {
  'ideogram-v2': ideogramV2,
  'ideogram-v2-turbo': ideogramV2,
  'ideogram-v2a': ideogramV2,
  'ideogram-v2a-turbo': ideogramV2,
  'ideogram-v3-quality': ideogramV3,
  'ideogram-v3-balanced': ideogramV3,
  'ideogram-v3-turbo': ideogramV3,
  'ideogram-character': ideogramCharacter,
  'imagen-4': imagen,
  'imagen-4-ultra': imagen,
  'imagen-4-fast': imagen,
  'imagen-3': imagen,
  'imagen-3-fast': imagen,
  'kling-image': kling,
  'qwen-image': qwenImage,
  'qwen-image-2': qwenImage2,
  'qwen-image-2-pro': qwenImage2,
  'wan-image-2.6': wan26,
  'wan-image-2.7': wan27,
  'wan-image-2.7-pro': wan27,
  'grok-imagine-image': grokImagine,
  'reve-create': reve,
};
