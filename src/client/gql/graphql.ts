/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The background of the outputs, where the model can choose. */
export type Background =
  /** The model decides. */
  | 'AUTO'
  /** Always a filled background. */
  | 'OPAQUE'
  /** Needs png or webp output. */
  | 'TRANSPARENT';

/** Values of `bgRemovalModel` for BiRefNet background removal. */
export type BirefnetBgRemovalBgRemovalModel =
  /** `general-fast` */
  | 'GENERAL_FAST'
  /** `general-premium` */
  | 'GENERAL_PREMIUM'
  /** `portrait` */
  | 'PORTRAIT';

/** Parameters of BiRefNet background removal (`birefnet-bg-removal`). */
export type BirefnetBgRemovalInput = {
  /** portrait (people), general-fast (light, quick) or general-premium (heavier, more accurate). */
  bgRemovalModel?: BirefnetBgRemovalBgRemovalModel | null | undefined;
  /** low works at 1024x1024, high at 2048x2048 (finer edges on large images). */
  quality?: BirefnetBgRemovalQuality | null | undefined;
};

/** Values of `quality` for BiRefNet background removal. */
export type BirefnetBgRemovalQuality =
  /** `high` */
  | 'HIGH'
  /** `low` */
  | 'LOW';

/** Parameters of DALL-E 2 (`dall-e-2`). */
export type DallE2Input = {
  /** Text description of the desired image (1-1000 characters). Refer to reference images as [image 1], [image 2], ... (at most 1000 characters) */
  prompt: string;
  /** Pixel size of the (square) image. */
  size?: DallE2Size | null | undefined;
};

/** Values of `size` for DALL-E 2. */
export type DallE2Size =
  /** `256x256` */
  | 'V_256X256'
  /** `512x512` */
  | 'V_512X512'
  /** `1024x1024` */
  | 'V_1024X1024';

/** Parameters of DALL-E 3 (`dall-e-3`). */
export type DallE3Input = {
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** hd gives finer detail and more consistency, at a higher price. */
  quality?: DallE3Quality | null | undefined;
  /** Pixel size of the image. */
  size?: DallE3Size | null | undefined;
  /** vivid leans hyper-real and dramatic; natural looks less processed. */
  style?: DallE3Style | null | undefined;
};

/** Values of `quality` for DALL-E 3. */
export type DallE3Quality =
  /** `hd` */
  | 'HD'
  /** `standard` */
  | 'STANDARD';

/** Values of `size` for DALL-E 3. */
export type DallE3Size =
  /** `1024x1024` */
  | 'V_1024X1024'
  /** `1024x1792` */
  | 'V_1024X1792'
  /** `1792x1024` */
  | 'V_1792X1024';

/** Values of `style` for DALL-E 3. */
export type DallE3Style =
  /** `natural` */
  | 'NATURAL'
  /** `vivid` */
  | 'VIVID';

/** Parameters of FLUX.1 [dev] (`flux-1-dev`). */
export type Flux1DevInput = {
  /** How strictly the image follows the prompt. (min 1.5, max 5) */
  guidance?: number | null | undefined;
  /** Height in pixels (256-1440, multiple of 32). (min 256, max 1440) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-1024 characters). Refer to reference images as [image 1], [image 2], ... (at most 1024 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 6 (most permissive). (min 0, max 6) */
  safetyTolerance?: number | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Inference steps. (min 1, max 50) */
  steps?: number | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
  /** Width in pixels (256-1440, multiple of 32). (min 256, max 1440) */
  width?: number | null | undefined;
};

/** Parameters of FLUX.2 [dev] (`flux-2-dev`). */
export type Flux2DevInput = {
  /** How strictly the image follows the prompt. (min 0, max 20) */
  guidance?: number | null | undefined;
  /** Height in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Inference steps. (min 4, max 50) */
  steps?: number | null | undefined;
  /** Width in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  width?: number | null | undefined;
};

/** Parameters of FLUX.2 [flex] (`flux-2-flex`). */
export type Flux2FlexInput = {
  /** How strictly the image follows the prompt. (min 1.5, max 10) */
  guidance?: number | null | undefined;
  /** Height in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 5 (most permissive). (min 0, max 5) */
  safetyTolerance?: number | null | undefined;
  /** Inference steps: fewer is faster, more is more detailed. (min 1, max 50) */
  steps?: number | null | undefined;
  /** Width in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  width?: number | null | undefined;
};

/** Parameters of FLUX.2 [max] (`flux-2-max`). */
export type Flux2MaxInput = {
  /** Height in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 5 (most permissive). (min 0, max 5) */
  safetyTolerance?: number | null | undefined;
  /** Width in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  width?: number | null | undefined;
};

/** Parameters of FLUX.2 [pro] (`flux-2-pro`). */
export type Flux2ProInput = {
  /** Height in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 5 (most permissive). (min 0, max 5) */
  safetyTolerance?: number | null | undefined;
  /** Width in pixels (256-2048, multiple of 32). (min 256, max 2048) */
  width?: number | null | undefined;
};

/** Parameters of FLUX 1.1 [pro] (`flux-1.1-pro`). */
export type Flux11ProInput = {
  /** Height in pixels (256-1440, multiple of 32). (min 256, max 1440) */
  height?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 6 (most permissive). (min 0, max 6) */
  safetyTolerance?: number | null | undefined;
  /** Width in pixels (256-1440, multiple of 32). (min 256, max 1440) */
  width?: number | null | undefined;
};

/** Values of `aspectRatio` for FLUX 1.1 [pro] Ultra. */
export type Flux11ProUltraAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `9:21` */
  | 'RATIO_9_21'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of FLUX 1.1 [pro] Ultra (`flux-1.1-pro-ultra`). */
export type Flux11ProUltraInput = {
  /** Shape of the image, between 21:9 and 9:21. */
  aspectRatio?: Flux11ProUltraAspectRatio | null | undefined;
  /** Blend between the prompt (0) and the reference image (1) when one is given. (min 0, max 1) */
  imagePromptStrength?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Less processed, more natural-looking images. */
  raw?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 6 (most permissive). (min 0, max 6) */
  safetyTolerance?: number | null | undefined;
};

/** Values of `aspectRatio` for FLUX.1 Kontext [pro]. */
export type FluxKontextProAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `9:21` */
  | 'RATIO_9_21'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of FLUX.1 Kontext [pro] (`flux-kontext-pro`). */
export type FluxKontextProInput = {
  /** Shape of the image, between 21:9 and 9:21. */
  aspectRatio?: FluxKontextProAspectRatio | null | undefined;
  /** Text description of the desired image (1-1024 characters). Refer to reference images as [image 1], [image 2], ... (at most 1024 characters) */
  prompt: string;
  /** Let the model rewrite the prompt for more creative results (less reproducible). */
  promptUpsampling?: boolean | null | undefined;
  /** Moderation tolerance from 0 (strictest) to 6 (most permissive). (min 0, max 6) */
  safetyTolerance?: number | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** A job for one model with its typed parameters. */
export type GenerateImageInput = {
  /** Repeating a request with the same key returns the original job instead of creating and charging a new one. */
  idempotencyKey?: string | null | undefined;
  /** The model (exactly one field) and its typed parameters. */
  model: GenerateImageModelInput;
  /** Number of images (1-10). Above what one upstream call returns, the job makes several calls where the model allows. */
  n?: number | null | undefined;
  /** How the outputs are encoded and stored. */
  output?: OutputInput | null | undefined;
  /** Reference or input images, in order. */
  references?: Array<MediaRef> | null | undefined;
  /** For reproducible results; chosen at random (and reported on the job) when omitted. */
  seed?: number | null | undefined;
  /** A template slug (see `templates`): its prompt prefix and reference images are merged in. */
  template?: string | null | undefined;
  /** POST this job's updates to a URL, signed with the account's webhook secret (Standard Webhooks). */
  webhook?: WebhookInput | null | undefined;
};

/** Pick exactly one model and give its parameters. */
export type GenerateImageModelInput =
  {   /** BiRefNet background removal: Removes the background of one input image, keeping its size; output has an alpha channel. */
  birefnetBgRemoval: BirefnetBgRemovalInput; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never;   /** DALL-E 2: OpenAI's classic image generation from text descriptions. */
  dallE2: DallE2Input; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never;   /** DALL-E 3: OpenAI's DALL-E 3 with improved detail, text rendering, and prompt adherence. */
  dallE3: DallE3Input; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never;   /** FLUX.1 [dev]: Open-weight text-to-image. Cannot take reference images: with them the job runs on FLUX.1 Kontext [pro] instead (Tripo). */
  flux1Dev: Flux1DevInput; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never;   /** FLUX.2 [dev]: Open-weight generation and editing, optimized for speed. */
  flux2Dev: Flux2DevInput; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never;   /** FLUX.2 [flex]: FLUX.2 with tunable steps and guidance, specialized for typography and fine detail. */
  flux2Flex: Flux2FlexInput; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never;   /** FLUX.2 [max]: Highest fidelity FLUX.2 model with the best editing consistency. */
  flux2Max: Flux2MaxInput; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never;   /** FLUX.2 [pro]: Image generation and editing with multi-reference support. */
  flux2Pro: Flux2ProInput; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never;   /** FLUX 1.1 [pro]: Fast, high-quality generation with excellent prompt adherence. */
  flux11Pro: Flux11ProInput; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never;   /** FLUX 1.1 [pro] Ultra: High-resolution (up to 4MP) generation with raw mode. */
  flux11ProUltra: Flux11ProUltraInput; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never;   /** FLUX.1 Kontext [pro]: Context-aware generation and editing; Tripo's default model version. Does not accept WebP reference images (Tripo). */
  fluxKontextPro: FluxKontextProInput; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never;   /** GPT Image 1: OpenAI's GPT-4o image generation (Tripo's gpt_4o) with editing and transparent backgrounds. */
  gptImage1: GptImage1Input; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never;   /** GPT Image 2: OpenAI's GPT Image 2: strong prompt adherence, readable text and detailed edits, up to 3840 pixels. */
  gptImage2: GptImage2Input; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never;   /** GPT Image 1.5: OpenAI's latest with tiered quality, editing, and multi-image output. */
  gptImage15: GptImage15Input; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never;   /** Grok Imagine: Fast image generation and editing by xAI with strong creative control and text rendering. */
  grokImagine: GrokImagineInput; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never;   /** Grok Imagine Pro: High-quality image generation and editing by xAI. */
  grokImaginePro: GrokImagineProInput; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never;   /** Ideogram Character: Character-consistent generation from one character reference image. */
  ideogramCharacter: IdeogramCharacterInput; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never;   /** Ideogram V2: High-quality generation with superior text rendering. */
  ideogramV2: IdeogramV2Input; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never;   /** Ideogram V2 Turbo: Faster V2 variant optimized for speed. */
  ideogramV2Turbo: IdeogramV2TurboInput; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never;   /** Ideogram V2a: Cost-efficient generation with strong text rendering. */
  ideogramV2a: IdeogramV2aInput; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never;   /** Ideogram V2a Turbo: Fastest and most affordable Ideogram model. */
  ideogramV2aTurbo: IdeogramV2aTurboInput; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never;   /** Ideogram V3 Balanced: Balanced quality/speed with style presets and references. */
  ideogramV3Balanced: IdeogramV3BalancedInput; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never;   /** Ideogram V3 Quality: Highest-quality V3 for production-ready images. */
  ideogramV3Quality: IdeogramV3QualityInput; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never;   /** Ideogram V3 Turbo: Fast V3 with style presets and references. */
  ideogramV3Turbo: IdeogramV3TurboInput; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never;   /** Imagen 3: Google's highest quality text-to-image with rich lighting and detail. */
  imagen3: Imagen3Input; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never;   /** Imagen 3 Fast: Faster, cheaper Imagen 3 for speed-sensitive use cases. */
  imagen3Fast: Imagen3FastInput; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never;   /** Imagen 4: Google's flagship Imagen 4 with superior typography and detail. */
  imagen4: Imagen4Input; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never;   /** Imagen 4 Fast: Fast Imagen 4 optimized for speed and cost. */
  imagen4Fast: Imagen4FastInput; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never;   /** Imagen 4 Ultra: Ultra quality Imagen 4 for maximum fidelity. */
  imagen4Ultra: Imagen4UltraInput; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never;   /** Kling Image: Kling's image generation with reference images and multi-image output. */
  klingImage: KlingImageInput; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never;   /** Background removal (local ISNet): Removes the background on the Pictor server itself with ISNet (AGPL-3.0 engine); no upstream account needed. */
  localBackgroundRemoval: LocalBackgroundRemovalInput; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never;   /** Vectorize (local vtracer): Traces one raster image into an SVG on the Pictor server itself; no upstream account needed. */
  localVectorize: LocalVectorizeInput; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never;   /** Midjourney: High-quality image generation from text prompts (four images per job). */
  midjourney: MidjourneyInput; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never;   /** Nano Banana (Gemini 2.5 Flash Image): Fast generation with image-to-image support. */
  nanoBanana: NanoBananaInput; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never;   /** Nano Banana 2 (Gemini 3.1 Flash Image): General-purpose, high-efficiency generation up to 4K. Google Search grounding (Apiframe) is not offered: a grounding parameter is refused. */
  nanoBanana2: NanoBanana2Input; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never;   /** Nano Banana Pro (Gemini 3 Pro Image): Professional-grade generation with accurate text, up to 4K. */
  nanoBananaPro: NanoBananaProInput; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never;   /** Placeholder (development): Offline development model with no AI behind it: renders the prompt over a seed-driven composition, deterministically, with progress steps and preview frames. Reference images appear as tiles; with a mask, the first reference is kept where the mask is opaque. */
  placeholder: PlaceholderInput; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never;   /** Qwen Image: Qwen v1 with text-to-image, image-to-image, and image editing. */
  qwenImage: QwenImageInput; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never;   /** Qwen Image 2: Qwen v2 unified generation and editing model. */
  qwenImage2: QwenImage2Input; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never;   /** Qwen Image 2 Pro: Qwen v2 Pro with higher fidelity output. */
  qwenImage2Pro: QwenImage2ProInput; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never;   /** Reve Create: High-quality generation with strong aesthetics and text rendering. */
  reveCreate: ReveCreateInput; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never;   /** Vectorize: Converts one raster image (logo, icon, flat illustration) into an SVG. */
  runwareVectorize: RunwareVectorizeInput; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never;   /** Seedream 3: High-resolution (2K) bilingual text-to-image by ByteDance. */
  seedream3: Seedream3Input; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never;   /** Seedream 4: Generation and editing with multi-reference, up to 4K. */
  seedream4: Seedream4Input; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never;   /** Seedream 5 Lite: Latest Seedream with reasoning and example-based editing. */
  seedream5Lite: Seedream5LiteInput; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never;   /** Seedream 3.1 (Dreamina 3.1): Cinematic-quality generation (Dreamina 3.1). Its style control (Apiframe) is not offered: a style parameter is refused; describe the style in the prompt. */
  seedream31: Seedream31Input; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never;   /** Seedream 4.5: High-quality generation with stronger spatial understanding, up to 4K. */
  seedream45: Seedream45Input; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never;   /** Wan Image 2.6: Alibaba's Wan 2.6 image generation and editing model. */
  wanImage26: WanImage26Input; wanImage27?: never; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never;   /** Wan Image 2.7: Alibaba's Wan 2.7 image generation and editing with thinking mode. */
  wanImage27: WanImage27Input; wanImage27Pro?: never; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never;   /** Wan Image 2.7 Pro: Wan 2.7 Pro with higher fidelity output, up to 4K. */
  wanImage27Pro: WanImage27ProInput; zImage?: never; }
  |  { birefnetBgRemoval?: never; dallE2?: never; dallE3?: never; flux1Dev?: never; flux2Dev?: never; flux2Flex?: never; flux2Max?: never; flux2Pro?: never; flux11Pro?: never; flux11ProUltra?: never; fluxKontextPro?: never; gptImage1?: never; gptImage2?: never; gptImage15?: never; grokImagine?: never; grokImaginePro?: never; ideogramCharacter?: never; ideogramV2?: never; ideogramV2Turbo?: never; ideogramV2a?: never; ideogramV2aTurbo?: never; ideogramV3Balanced?: never; ideogramV3Quality?: never; ideogramV3Turbo?: never; imagen3?: never; imagen3Fast?: never; imagen4?: never; imagen4Fast?: never; imagen4Ultra?: never; klingImage?: never; localBackgroundRemoval?: never; localVectorize?: never; midjourney?: never; nanoBanana?: never; nanoBanana2?: never; nanoBananaPro?: never; placeholder?: never; qwenImage?: never; qwenImage2?: never; qwenImage2Pro?: never; reveCreate?: never; runwareVectorize?: never; seedream3?: never; seedream4?: never; seedream5Lite?: never; seedream31?: never; seedream45?: never; wanImage26?: never; wanImage27?: never; wanImage27Pro?: never;   /** Z-Image Turbo: Fast 6B-parameter text-to-image by Tongyi-MAI. */
  zImage: ZImageInput; };

/** The model-agnostic form for dynamic clients: any model id or alias, raw parameter values (`"16:9"`, `"2K"`), and normalized options mapped onto what the model supports. */
export type GenerateImageWithParamsInput = {
  /** Any "w:h"; mapped to the nearest ratio the model supports (with a job warning when not exact). */
  aspectRatio?: string | null | undefined;
  /** Repeating a request with the same key returns the original job instead of creating and charging a new one. */
  idempotencyKey?: string | null | undefined;
  /** Model id or alias. */
  model: string | number;
  /** Number of images (1-10). Above what one upstream call returns, the job makes several calls where the model allows. */
  n?: number | null | undefined;
  /** How the outputs are encoded and stored. */
  output?: OutputInput | null | undefined;
  /** The model's parameters with raw values, e.g. { "aspectRatio": "16:9", "resolution": "2K" }. */
  params?: unknown;
  /** The prompt, for models that take one (the same as `params.prompt`). */
  prompt?: string | null | undefined;
  /** Reference or input images, in order. */
  references?: Array<MediaRef> | null | undefined;
  /** 512, 1K, 2K or 4K; mapped to the nearest tier the model supports. */
  resolution?: string | null | undefined;
  /** For reproducible results; chosen at random (and reported on the job) when omitted. */
  seed?: number | null | undefined;
  /** "2K" or "2048x1536"; conflicts with a different aspectRatio or resolution. */
  size?: string | null | undefined;
  /** A template slug (see `templates`): its prompt prefix and reference images are merged in. */
  template?: string | null | undefined;
  /** POST this job's updates to a URL, signed with the account's webhook secret (Standard Webhooks). */
  webhook?: WebhookInput | null | undefined;
};

/** Values of `background` for GPT Image 1. */
export type GptImage1Background =
  /** `auto` */
  | 'AUTO'
  /** `opaque` */
  | 'OPAQUE'
  /** `transparent` */
  | 'TRANSPARENT';

/** Parameters of GPT Image 1 (`gpt-image-1`). */
export type GptImage1Input = {
  /** Background treatment; transparent requires png or webp output. */
  background?: GptImage1Background | null | undefined;
  /** How closely edits preserve the reference images (faces, logos). */
  inputFidelity?: GptImage1InputFidelity | null | undefined;
  /** Content-moderation level: auto or low (less restrictive). */
  moderation?: GptImage1Moderation | null | undefined;
  /** Text description of the desired image (1-1024 characters). Refer to reference images as [image 1], [image 2], ... (at most 1024 characters) */
  prompt: string;
  /** Rendering quality; affects cost and time. auto lets the model choose. */
  quality?: GptImage1Quality | null | undefined;
  /** Pixel size of the image; auto lets the model choose. */
  size?: GptImage1Size | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `inputFidelity` for GPT Image 1. */
export type GptImage1InputFidelity =
  /** `high` */
  | 'HIGH'
  /** `low` */
  | 'LOW';

/** Values of `moderation` for GPT Image 1. */
export type GptImage1Moderation =
  /** `auto` */
  | 'AUTO'
  /** `low` */
  | 'LOW';

/** Values of `quality` for GPT Image 1. */
export type GptImage1Quality =
  /** `auto` */
  | 'AUTO'
  /** `high` */
  | 'HIGH'
  /** `low` */
  | 'LOW'
  /** `medium` */
  | 'MEDIUM';

/** Values of `size` for GPT Image 1. */
export type GptImage1Size =
  /** `auto` */
  | 'AUTO'
  /** `1024x1024` */
  | 'V_1024X1024'
  /** `1024x1536` */
  | 'V_1024X1536'
  /** `1536x1024` */
  | 'V_1536X1024';

/** Values of `background` for GPT Image 2. */
export type GptImage2Background =
  /** `auto` */
  | 'AUTO'
  /** `opaque` */
  | 'OPAQUE';

/** Parameters of GPT Image 2 (`gpt-image-2`). */
export type GptImage2Input = {
  /** Background treatment (gpt-image-2 cannot make it transparent). */
  background?: GptImage2Background | null | undefined;
  /** Content-moderation level: auto or low (less restrictive). */
  moderation?: GptImage2Moderation | null | undefined;
  /** Text description of the desired image (1-1024 characters). Refer to reference images as [image 1], [image 2], ... (at most 1024 characters) */
  prompt: string;
  /** Rendering quality; affects cost and time. auto lets the model choose. */
  quality?: GptImage2Quality | null | undefined;
  /** Pixel size of the image; auto lets the model choose. */
  size?: GptImage2Size | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `moderation` for GPT Image 2. */
export type GptImage2Moderation =
  /** `auto` */
  | 'AUTO'
  /** `low` */
  | 'LOW';

/** Values of `quality` for GPT Image 2. */
export type GptImage2Quality =
  /** `auto` */
  | 'AUTO'
  /** `high` */
  | 'HIGH'
  /** `low` */
  | 'LOW'
  /** `medium` */
  | 'MEDIUM';

/** Values of `size` for GPT Image 2. */
export type GptImage2Size =
  /** `auto` */
  | 'AUTO'
  /** `1024x1024` */
  | 'V_1024X1024'
  /** `1024x1536` */
  | 'V_1024X1536'
  /** `1152x2048` */
  | 'V_1152X2048'
  /** `1536x1024` */
  | 'V_1536X1024'
  /** `2048x1152` */
  | 'V_2048X1152'
  /** `2048x2048` */
  | 'V_2048X2048'
  /** `2160x3840` */
  | 'V_2160X3840'
  /** `3840x2160` */
  | 'V_3840X2160';

/** Values of `aspectRatio` for GPT Image 1.5. */
export type GptImage15AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Values of `background` for GPT Image 1.5. */
export type GptImage15Background =
  /** `auto` */
  | 'AUTO'
  /** `opaque` */
  | 'OPAQUE'
  /** `transparent` */
  | 'TRANSPARENT';

/** Parameters of GPT Image 1.5 (`gpt-image-1.5`). */
export type GptImage15Input = {
  /** Shape of the image: 1:1 (1024x1024), 16:9 (1536x1024) or 9:16 (1024x1536). */
  aspectRatio?: GptImage15AspectRatio | null | undefined;
  /** Background treatment; transparent requires png or webp output. */
  background?: GptImage15Background | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Rendering quality; affects cost and time. auto lets the model choose. */
  quality?: GptImage15Quality | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `quality` for GPT Image 1.5. */
export type GptImage15Quality =
  /** `auto` */
  | 'AUTO'
  /** `high` */
  | 'HIGH'
  /** `low` */
  | 'LOW'
  /** `medium` */
  | 'MEDIUM';

/** Values of `aspectRatio` for Grok Imagine. */
export type GrokImagineAspectRatio =
  /** `auto` */
  | 'AUTO'
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Grok Imagine (`grok-imagine`). */
export type GrokImagineInput = {
  /** Shape of the image; auto lets the model choose from the prompt. */
  aspectRatio?: GrokImagineAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier. */
  resolution?: GrokImagineResolution | null | undefined;
};

/** Values of `aspectRatio` for Grok Imagine Pro. */
export type GrokImagineProAspectRatio =
  /** `auto` */
  | 'AUTO'
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Grok Imagine Pro (`grok-imagine-pro`). */
export type GrokImagineProInput = {
  /** Shape of the image; auto lets the model choose from the prompt. */
  aspectRatio?: GrokImagineProAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier. */
  resolution?: GrokImagineProResolution | null | undefined;
};

/** Values of `resolution` for Grok Imagine Pro. */
export type GrokImagineProResolution =
  /** `1k` */
  | 'RES_1K'
  /** `2k` */
  | 'RES_2K';

/** Values of `resolution` for Grok Imagine. */
export type GrokImagineResolution =
  /** `1k` */
  | 'RES_1K'
  /** `2k` */
  | 'RES_2K';

/** Values of `aspectRatio` for Ideogram Character. */
export type IdeogramCharacterAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `5:4` */
  | 'RATIO_5_4'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram Character (`ideogram-character`). */
export type IdeogramCharacterInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramCharacterAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** TURBO is fastest and cheapest, QUALITY the most detailed. */
  renderingSpeed?: IdeogramCharacterRenderingSpeed | null | undefined;
  /** AUTO, REALISTIC (photographic) or FICTION (illustrative). */
  style?: IdeogramCharacterStyle | null | undefined;
};

/** Values of `renderingSpeed` for Ideogram Character. */
export type IdeogramCharacterRenderingSpeed =
  /** `BALANCED` */
  | 'BALANCED'
  /** `QUALITY` */
  | 'QUALITY'
  /** `TURBO` */
  | 'TURBO';

/** Values of `style` for Ideogram Character. */
export type IdeogramCharacterStyle =
  /** `AUTO` */
  | 'AUTO'
  /** `FICTION` */
  | 'FICTION'
  /** `REALISTIC` */
  | 'REALISTIC';

/** Values of `aspectRatio` for Ideogram V2. */
export type IdeogramV2AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V2 (`ideogram-v2`). */
export type IdeogramV2Input = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV2AspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style of the image. */
  style?: IdeogramV2Style | null | undefined;
};

/** Values of `style` for Ideogram V2. */
export type IdeogramV2Style =
  /** `anime` */
  | 'ANIME'
  /** `auto` */
  | 'AUTO'
  /** `design` */
  | 'DESIGN'
  /** `general` */
  | 'GENERAL'
  /** `realistic` */
  | 'REALISTIC'
  /** `render_3D` */
  | 'RENDER_3_D';

/** Values of `aspectRatio` for Ideogram V2 Turbo. */
export type IdeogramV2TurboAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V2 Turbo (`ideogram-v2-turbo`). */
export type IdeogramV2TurboInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV2TurboAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style of the image. */
  style?: IdeogramV2TurboStyle | null | undefined;
};

/** Values of `style` for Ideogram V2 Turbo. */
export type IdeogramV2TurboStyle =
  /** `anime` */
  | 'ANIME'
  /** `auto` */
  | 'AUTO'
  /** `design` */
  | 'DESIGN'
  /** `general` */
  | 'GENERAL'
  /** `realistic` */
  | 'REALISTIC'
  /** `render_3D` */
  | 'RENDER_3_D';

/** Values of `aspectRatio` for Ideogram V2a. */
export type IdeogramV2aAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V2a (`ideogram-v2a`). */
export type IdeogramV2aInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV2aAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style of the image. */
  style?: IdeogramV2aStyle | null | undefined;
};

/** Values of `style` for Ideogram V2a. */
export type IdeogramV2aStyle =
  /** `anime` */
  | 'ANIME'
  /** `auto` */
  | 'AUTO'
  /** `design` */
  | 'DESIGN'
  /** `general` */
  | 'GENERAL'
  /** `realistic` */
  | 'REALISTIC'
  /** `render_3D` */
  | 'RENDER_3_D';

/** Values of `aspectRatio` for Ideogram V2a Turbo. */
export type IdeogramV2aTurboAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V2a Turbo (`ideogram-v2a-turbo`). */
export type IdeogramV2aTurboInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV2aTurboAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style of the image. */
  style?: IdeogramV2aTurboStyle | null | undefined;
};

/** Values of `style` for Ideogram V2a Turbo. */
export type IdeogramV2aTurboStyle =
  /** `anime` */
  | 'ANIME'
  /** `auto` */
  | 'AUTO'
  /** `design` */
  | 'DESIGN'
  /** `general` */
  | 'GENERAL'
  /** `realistic` */
  | 'REALISTIC'
  /** `render_3D` */
  | 'RENDER_3_D';

/** Values of `aspectRatio` for Ideogram V3 Balanced. */
export type IdeogramV3BalancedAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `5:4` */
  | 'RATIO_5_4'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V3 Balanced (`ideogram-v3-balanced`). */
export type IdeogramV3BalancedInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV3BalancedAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style type of the image. */
  style?: IdeogramV3BalancedStyle | null | undefined;
};

/** Values of `style` for Ideogram V3 Balanced. */
export type IdeogramV3BalancedStyle =
  /** `AUTO` */
  | 'AUTO'
  /** `DESIGN` */
  | 'DESIGN'
  /** `GENERAL` */
  | 'GENERAL'
  /** `REALISTIC` */
  | 'REALISTIC';

/** Values of `aspectRatio` for Ideogram V3 Quality. */
export type IdeogramV3QualityAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `5:4` */
  | 'RATIO_5_4'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V3 Quality (`ideogram-v3-quality`). */
export type IdeogramV3QualityInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV3QualityAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style type of the image. */
  style?: IdeogramV3QualityStyle | null | undefined;
};

/** Values of `style` for Ideogram V3 Quality. */
export type IdeogramV3QualityStyle =
  /** `AUTO` */
  | 'AUTO'
  /** `DESIGN` */
  | 'DESIGN'
  /** `GENERAL` */
  | 'GENERAL'
  /** `REALISTIC` */
  | 'REALISTIC';

/** Values of `aspectRatio` for Ideogram V3 Turbo. */
export type IdeogramV3TurboAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:2` */
  | 'RATIO_1_2'
  /** `1:3` */
  | 'RATIO_1_3'
  /** `2:1` */
  | 'RATIO_2_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:1` */
  | 'RATIO_3_1'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `5:4` */
  | 'RATIO_5_4'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `10:16` */
  | 'RATIO_10_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `16:10` */
  | 'RATIO_16_10';

/** Parameters of Ideogram V3 Turbo (`ideogram-v3-turbo`). */
export type IdeogramV3TurboInput = {
  /** Shape of the image. */
  aspectRatio?: IdeogramV3TurboAspectRatio | null | undefined;
  /** Let MagicPrompt expand the prompt. */
  expandPrompt?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Style type of the image. */
  style?: IdeogramV3TurboStyle | null | undefined;
};

/** Values of `style` for Ideogram V3 Turbo. */
export type IdeogramV3TurboStyle =
  /** `AUTO` */
  | 'AUTO'
  /** `DESIGN` */
  | 'DESIGN'
  /** `GENERAL` */
  | 'GENERAL'
  /** `REALISTIC` */
  | 'REALISTIC';

/** A stored file format, read from the content. */
export type ImageFormat =
  /** JPEG (small, no transparency). */
  | 'JPEG'
  /** PNG (lossless, transparency). */
  | 'PNG'
  /** SVG vector graphics (vectorizing models). */
  | 'SVG'
  /** WebP (small, transparency). */
  | 'WEBP';

/** Values of `aspectRatio` for Imagen 3. */
export type Imagen3AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Values of `aspectRatio` for Imagen 3 Fast. */
export type Imagen3FastAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Imagen 3 Fast (`imagen-3-fast`). */
export type Imagen3FastInput = {
  /** Shape of the image. */
  aspectRatio?: Imagen3FastAspectRatio | null | undefined;
  /** Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all. */
  personGeneration?: Imagen3FastPersonGeneration | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `personGeneration` for Imagen 3 Fast. */
export type Imagen3FastPersonGeneration =
  /** `allow_adult` */
  | 'ALLOW_ADULT'
  /** `allow_all` */
  | 'ALLOW_ALL'
  /** `dont_allow` */
  | 'DONT_ALLOW';

/** Parameters of Imagen 3 (`imagen-3`). */
export type Imagen3Input = {
  /** Shape of the image. */
  aspectRatio?: Imagen3AspectRatio | null | undefined;
  /** Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all. */
  personGeneration?: Imagen3PersonGeneration | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `personGeneration` for Imagen 3. */
export type Imagen3PersonGeneration =
  /** `allow_adult` */
  | 'ALLOW_ADULT'
  /** `allow_all` */
  | 'ALLOW_ALL'
  /** `dont_allow` */
  | 'DONT_ALLOW';

/** Values of `aspectRatio` for Imagen 4. */
export type Imagen4AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Values of `aspectRatio` for Imagen 4 Fast. */
export type Imagen4FastAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Imagen 4 Fast (`imagen-4-fast`). */
export type Imagen4FastInput = {
  /** Shape of the image. */
  aspectRatio?: Imagen4FastAspectRatio | null | undefined;
  /** Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all. */
  personGeneration?: Imagen4FastPersonGeneration | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `personGeneration` for Imagen 4 Fast. */
export type Imagen4FastPersonGeneration =
  /** `allow_adult` */
  | 'ALLOW_ADULT'
  /** `allow_all` */
  | 'ALLOW_ALL'
  /** `dont_allow` */
  | 'DONT_ALLOW';

/** Parameters of Imagen 4 (`imagen-4`). */
export type Imagen4Input = {
  /** Shape of the image. */
  aspectRatio?: Imagen4AspectRatio | null | undefined;
  /** Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all. */
  personGeneration?: Imagen4PersonGeneration | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (Gemini API imageSize). */
  resolution?: Imagen4Resolution | null | undefined;
};

/** Values of `personGeneration` for Imagen 4. */
export type Imagen4PersonGeneration =
  /** `allow_adult` */
  | 'ALLOW_ADULT'
  /** `allow_all` */
  | 'ALLOW_ALL'
  /** `dont_allow` */
  | 'DONT_ALLOW';

/** Values of `resolution` for Imagen 4. */
export type Imagen4Resolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** Values of `aspectRatio` for Imagen 4 Ultra. */
export type Imagen4UltraAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Imagen 4 Ultra (`imagen-4-ultra`). */
export type Imagen4UltraInput = {
  /** Shape of the image. */
  aspectRatio?: Imagen4UltraAspectRatio | null | undefined;
  /** Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all. */
  personGeneration?: Imagen4UltraPersonGeneration | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (Gemini API imageSize). */
  resolution?: Imagen4UltraResolution | null | undefined;
};

/** Values of `personGeneration` for Imagen 4 Ultra. */
export type Imagen4UltraPersonGeneration =
  /** `allow_adult` */
  | 'ALLOW_ADULT'
  /** `allow_all` */
  | 'ALLOW_ALL'
  /** `dont_allow` */
  | 'DONT_ALLOW';

/** Values of `resolution` for Imagen 4 Ultra. */
export type Imagen4UltraResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** Where a job is in its life; SUCCEEDED, FAILED and CANCELED are final. */
export type JobStatus =
  /** Canceled before it finished. */
  | 'CANCELED'
  /** Finished without images; `error` says why. */
  | 'FAILED'
  /** Waiting for a worker (also between retries). */
  | 'QUEUED'
  /** A worker is running an attempt. */
  | 'RUNNING'
  /** Finished with its images. */
  | 'SUCCEEDED';

/** SNAPSHOT opens a stream without `after`; the others are log events. */
export type JobUpdateType =
  /** The job was canceled. */
  | 'CANCELED'
  /** The job ended without images. */
  | 'FAILED'
  /** Progress, stage or preview changed. */
  | 'PROGRESS'
  /** The job was created and waits for a worker. */
  | 'QUEUED'
  /** An attempt failed and the job waits to be retried. */
  | 'RETRYING'
  /** The job as it is when the stream opens (without `after`). */
  | 'SNAPSHOT'
  /** A worker started an attempt. */
  | 'STARTED'
  /** The job ended with its images. */
  | 'SUCCEEDED';

/** Values of `aspectRatio` for Kling Image. */
export type KlingImageAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Kling Image (`kling-image`). */
export type KlingImageInput = {
  /** Shape of the image. */
  aspectRatio?: KlingImageAspectRatio | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** 1K standard or 2K high resolution. */
  resolution?: KlingImageResolution | null | undefined;
};

/** Values of `resolution` for Kling Image. */
export type KlingImageResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** Values of `engineModel` for Background removal (local ISNet). */
export type LocalBackgroundRemovalEngineModel =
  /** `medium` */
  | 'MEDIUM'
  /** `small` */
  | 'SMALL';

/** Parameters of Background removal (local ISNet) (`local-background-removal`). */
export type LocalBackgroundRemovalInput = {
  /** ISNet size: medium (default) gives cleaner masks; small is lighter but leaves specks on smooth backgrounds. */
  engineModel?: LocalBackgroundRemovalEngineModel | null | undefined;
  /** Encoding of the cut-out (both keep the alpha channel). */
  outputFormat?: LocalBackgroundRemovalOutputFormat | null | undefined;
};

/** Values of `outputFormat` for Background removal (local ISNet). */
export type LocalBackgroundRemovalOutputFormat =
  /** `png` */
  | 'PNG'
  /** `webp` */
  | 'WEBP';

/** Values of `colorMode` for Vectorize (local vtracer). */
export type LocalVectorizeColorMode =
  /** `binary` */
  | 'BINARY'
  /** `color` */
  | 'COLOR';

/** Values of `hierarchical` for Vectorize (local vtracer). */
export type LocalVectorizeHierarchical =
  /** `cutout` */
  | 'CUTOUT'
  /** `stacked` */
  | 'STACKED';

/** Parameters of Vectorize (local vtracer) (`local-vectorize`). */
export type LocalVectorizeInput = {
  /** Trace colours, or black and white only. */
  colorMode?: LocalVectorizeColorMode | null | undefined;
  /** Significant bits per colour channel (fewer means fewer colours). (min 1, max 8) */
  colorPrecision?: number | null | undefined;
  /** Minimum angle in degrees to count as a corner. (min 0, max 180) */
  cornerThreshold?: number | null | undefined;
  /** Discard patches smaller than this many pixels. (min 0, max 128) */
  filterSpeckle?: number | null | undefined;
  /** Stack shapes on top of each other, or cut them out of each other. */
  hierarchical?: LocalVectorizeHierarchical | null | undefined;
  /** Colour difference between gradient layers. (min 0, max 255) */
  layerDifference?: number | null | undefined;
  /** Segment length for curve subdivision. (min 3.5, max 10) */
  lengthThreshold?: number | null | undefined;
  /** Curve fitting: smooth splines, straight polygons, or pixel edges. */
  mode?: LocalVectorizeMode | null | undefined;
  /** Decimal places in SVG path coordinates. (min 0, max 10) */
  pathPrecision?: number | null | undefined;
  /** Minimum angle displacement in degrees to splice a spline. (min 0, max 180) */
  spliceThreshold?: number | null | undefined;
};

/** Values of `mode` for Vectorize (local vtracer). */
export type LocalVectorizeMode =
  /** `none` */
  | 'NONE'
  /** `polygon` */
  | 'POLYGON'
  /** `spline` */
  | 'SPLINE';

/** One reference image, by uploaded media id, by http(s) URL, or inline as a base64 data URL. Order matters: `[image 1]` in a prompt is the first. */
export type MediaRef =
  {   /** `data:image/png;base64,...` (png, jpeg or webp). */
  dataUrl: string; mediaId?: never; url?: never; }
  |  { dataUrl?: never;   /** Id of an uploaded Media. */
  mediaId: string | number; url?: never; }
  |  { dataUrl?: never; mediaId?: never;   /** An http(s) URL Pictor fetches (after an SSRF check). */
  url: string; };

/** Values of `aspectRatio` for Midjourney. */
export type MidjourneyAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Midjourney (`midjourney`). */
export type MidjourneyInput = {
  /** Shape of the images. */
  aspectRatio?: MidjourneyAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `aspectRatio` for Nano Banana 2 (Gemini 3.1 Flash Image). */
export type NanoBanana2AspectRatio =
  /** `auto` */
  | 'AUTO'
  /** `1:1` */
  | 'RATIO_1_1'
  /** `1:4` */
  | 'RATIO_1_4'
  /** `1:8` */
  | 'RATIO_1_8'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:1` */
  | 'RATIO_4_1'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `8:1` */
  | 'RATIO_8_1'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Nano Banana 2 (Gemini 3.1 Flash Image) (`nano-banana-2`). */
export type NanoBanana2Input = {
  /** Shape of the image, including the extreme 8:1 and 1:8; auto lets the model decide. */
  aspectRatio?: NanoBanana2AspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (about 1024, 2048 or 4096 pixels on the long edge). */
  resolution?: NanoBanana2Resolution | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Optional style UUID to apply (Wonda styleId): one of this deployment's styles (the `styles` query), applied as a prompt prefix; an unknown id is refused. */
  styleId?: string | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `resolution` for Nano Banana 2 (Gemini 3.1 Flash Image). */
export type NanoBanana2Resolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K'
  /** `4K` */
  | 'RES_4K';

/** Values of `aspectRatio` for Nano Banana (Gemini 2.5 Flash Image). */
export type NanoBananaAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `5:4` */
  | 'RATIO_5_4'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Nano Banana (Gemini 2.5 Flash Image) (`nano-banana`). */
export type NanoBananaInput = {
  /** Shape of the image. */
  aspectRatio?: NanoBananaAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `aspectRatio` for Nano Banana Pro (Gemini 3 Pro Image). */
export type NanoBananaProAspectRatio =
  /** `auto` */
  | 'AUTO'
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `4:5` */
  | 'RATIO_4_5'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Nano Banana Pro (Gemini 3 Pro Image) (`nano-banana-pro`). */
export type NanoBananaProInput = {
  /** Shape of the image; auto lets the model decide. */
  aspectRatio?: NanoBananaProAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (about 1024, 2048 or 4096 pixels on the long edge). */
  resolution?: NanoBananaProResolution | null | undefined;
  /** Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render). */
  sketchToRender?: boolean | null | undefined;
  /** Optional style UUID to apply (Wonda styleId): one of this deployment's styles (the `styles` query), applied as a prompt prefix; an unknown id is refused. */
  styleId?: string | null | undefined;
  /** Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose). */
  tPose?: boolean | null | undefined;
};

/** Values of `resolution` for Nano Banana Pro (Gemini 3 Pro Image). */
export type NanoBananaProResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K'
  /** `4K` */
  | 'RES_4K';

/** The file format to store outputs in. */
export type OutputFormat =
  /** JPEG (small, no transparency). */
  | 'JPEG'
  /** PNG (lossless, transparency). */
  | 'PNG'
  /** SVG vector graphics (vectorizing models). */
  | 'SVG'
  /** WebP (small, transparency). */
  | 'WEBP';

/** How outputs are encoded and stored. */
export type OutputInput = {
  /** Transparent or opaque, where the model can choose. */
  background?: Background | null | undefined;
  /** 0-100 for webp and jpeg, as OpenAI's output_compression (100 keeps the most detail). */
  compression?: number | null | undefined;
  /** File format; omitted: the model's default. */
  format?: OutputFormat | null | undefined;
};

/** Values of `aspectRatio` for Placeholder (development). */
export type PlaceholderAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Placeholder (development) (`placeholder`). */
export type PlaceholderInput = {
  /** Shape of the picture. */
  aspectRatio?: PlaceholderAspectRatio | null | undefined;
  /** Encoding of the stored image. */
  outputFormat?: PlaceholderOutputFormat | null | undefined;
  /** Text laid out over the picture. (at most 2000 characters) */
  prompt: string;
  /** Pixel budget: 512 (512x512 at 1:1), 1K (1024x1024), 2K (2048x2048); other ratios keep the area. */
  resolution?: PlaceholderResolution | null | undefined;
  /** Duration of each step in milliseconds. (min 0, max 60000) */
  stepMs?: number | null | undefined;
  /** Number of progress steps (and preview frames). (min 1, max 100) */
  steps?: number | null | undefined;
};

/** Values of `outputFormat` for Placeholder (development). */
export type PlaceholderOutputFormat =
  /** `jpeg` */
  | 'JPEG'
  /** `png` */
  | 'PNG'
  /** `webp` */
  | 'WEBP';

/** Values of `resolution` for Placeholder (development). */
export type PlaceholderResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K'
  /** `512` */
  | 'RES_512';

/** Values of `aspectRatio` for Qwen Image 2. */
export type QwenImage2AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Qwen Image 2 (`qwen-image-2`). */
export type QwenImage2Input = {
  /** Shape of the image. */
  aspectRatio?: QwenImage2AspectRatio | null | undefined;
  /** Let the model expand and optimize the prompt. */
  enablePromptExpansion?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (total pixels up to 2048x2048). */
  resolution?: QwenImage2Resolution | null | undefined;
};

/** Values of `aspectRatio` for Qwen Image 2 Pro. */
export type QwenImage2ProAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Qwen Image 2 Pro (`qwen-image-2-pro`). */
export type QwenImage2ProInput = {
  /** Shape of the image. */
  aspectRatio?: QwenImage2ProAspectRatio | null | undefined;
  /** Let the model expand and optimize the prompt. */
  enablePromptExpansion?: boolean | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier (total pixels up to 2048x2048). */
  resolution?: QwenImage2ProResolution | null | undefined;
};

/** Values of `resolution` for Qwen Image 2 Pro. */
export type QwenImage2ProResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** Values of `resolution` for Qwen Image 2. */
export type QwenImage2Resolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** Values of `acceleration` for Qwen Image. */
export type QwenImageAcceleration =
  /** `high` */
  | 'HIGH'
  /** `none` */
  | 'NONE'
  /** `regular` */
  | 'REGULAR';

/** Values of `imageSize` for Qwen Image. */
export type QwenImageImageSize =
  /** `landscape_4_3` */
  | 'LANDSCAPE_4_3'
  /** `landscape_16_9` */
  | 'LANDSCAPE_16_9'
  /** `portrait_4_3` */
  | 'PORTRAIT_4_3'
  /** `portrait_16_9` */
  | 'PORTRAIT_16_9'
  /** `square` */
  | 'SQUARE'
  /** `square_hd` */
  | 'SQUARE_HD';

/** Parameters of Qwen Image (`qwen-image`). */
export type QwenImageInput = {
  /** Speed-up level; 'high' suits images without text. */
  acceleration?: QwenImageAcceleration | null | undefined;
  /** How closely the image follows the prompt. (min 0, max 20) */
  guidanceScale?: number | null | undefined;
  /** Size preset of the image. */
  imageSize?: QwenImageImageSize | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Inference steps. (min 2, max 250) */
  numInferenceSteps?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `aspectRatio` for Reve Create. */
export type ReveCreateAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9';

/** Parameters of Reve Create (`reve-create`). */
export type ReveCreateInput = {
  /** Shape of the image. */
  aspectRatio?: ReveCreateAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Parameters of Vectorize (`runware-vectorize`). */
export type RunwareVectorizeInput = {
  /** Runware vectorize model: recraft:1@1 (Recraft Vectorize) or picsart:1@1 (Picsart Image Vectorizer). */
  vectorizeModel?: RunwareVectorizeVectorizeModel | null | undefined;
};

/** Values of `vectorizeModel` for Vectorize. */
export type RunwareVectorizeVectorizeModel =
  /** `picsart:1@1` */
  | 'PICSART_1_1'
  /** `recraft:1@1` */
  | 'RECRAFT_1_1';

/** Values of `aspectRatio` for Seedream 3. */
export type Seedream3AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Seedream 3 (`seedream-3`). */
export type Seedream3Input = {
  /** Shape of the image. */
  aspectRatio?: Seedream3AspectRatio | null | undefined;
  /** How closely the image follows the prompt. (min 1, max 10) */
  guidanceScale?: number | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `enhancePromptMode` for Seedream 4. */
export type Seedream4EnhancePromptMode =
  /** `fast` */
  | 'FAST'
  /** `standard` */
  | 'STANDARD';

/** Values of `imageSize` for Seedream 4. */
export type Seedream4ImageSize =
  /** `auto` */
  | 'AUTO'
  /** `auto_2K` */
  | 'AUTO_2_K'
  /** `auto_4K` */
  | 'AUTO_4_K'
  /** `landscape_4_3` */
  | 'LANDSCAPE_4_3'
  /** `landscape_16_9` */
  | 'LANDSCAPE_16_9'
  /** `portrait_4_3` */
  | 'PORTRAIT_4_3'
  /** `portrait_16_9` */
  | 'PORTRAIT_16_9'
  /** `square` */
  | 'SQUARE'
  /** `square_hd` */
  | 'SQUARE_HD';

/** Parameters of Seedream 4 (`seedream-4`). */
export type Seedream4Input = {
  /** Prompt enhancement: standard (higher quality) or fast. */
  enhancePromptMode?: Seedream4EnhancePromptMode | null | undefined;
  /** Size preset; auto sizes follow the input image at about 1K, 2K or 4K. */
  imageSize?: Seedream4ImageSize | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `imageSize` for Seedream 5 Lite. */
export type Seedream5LiteImageSize =
  /** `auto_2K` */
  | 'AUTO_2_K'
  /** `auto_3K` */
  | 'AUTO_3_K'
  /** `landscape_4_3` */
  | 'LANDSCAPE_4_3'
  /** `landscape_16_9` */
  | 'LANDSCAPE_16_9'
  /** `portrait_4_3` */
  | 'PORTRAIT_4_3'
  /** `portrait_16_9` */
  | 'PORTRAIT_16_9'
  /** `square` */
  | 'SQUARE'
  /** `square_hd` */
  | 'SQUARE_HD';

/** Parameters of Seedream 5 Lite (`seedream-5-lite`). */
export type Seedream5LiteInput = {
  /** Size preset; total pixels are kept between 2560x1440 and 3072x3072 (scaled if needed). */
  imageSize?: Seedream5LiteImageSize | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `imageSize` for Seedream 3.1 (Dreamina 3.1). */
export type Seedream31ImageSize =
  /** `landscape_4_3` */
  | 'LANDSCAPE_4_3'
  /** `landscape_16_9` */
  | 'LANDSCAPE_16_9'
  /** `portrait_4_3` */
  | 'PORTRAIT_4_3'
  /** `portrait_16_9` */
  | 'PORTRAIT_16_9'
  /** `square` */
  | 'SQUARE'
  /** `square_hd` */
  | 'SQUARE_HD';

/** Parameters of Seedream 3.1 (Dreamina 3.1) (`seedream-3.1`). */
export type Seedream31Input = {
  /** Let the model expand the prompt. */
  enhancePrompt?: boolean | null | undefined;
  /** Size preset of the image. */
  imageSize?: Seedream31ImageSize | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `aspectRatio` for Seedream 4.5. */
export type Seedream45AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Seedream 4.5 (`seedream-4.5`). */
export type Seedream45Input = {
  /** Shape of the image. */
  aspectRatio?: Seedream45AspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier. */
  resolution?: Seedream45Resolution | null | undefined;
};

/** Values of `resolution` for Seedream 4.5. */
export type Seedream45Resolution =
  /** `2K` */
  | 'RES_2K'
  /** `4K` */
  | 'RES_4K';

/** Values of `imageSize` for Wan Image 2.6. */
export type WanImage26ImageSize =
  /** `landscape_4_3` */
  | 'LANDSCAPE_4_3'
  /** `landscape_16_9` */
  | 'LANDSCAPE_16_9'
  /** `portrait_4_3` */
  | 'PORTRAIT_4_3'
  /** `portrait_16_9` */
  | 'PORTRAIT_16_9'
  /** `square` */
  | 'SQUARE'
  /** `square_hd` */
  | 'SQUARE_HD';

/** Parameters of Wan Image 2.6 (`wan-image-2.6`). */
export type WanImage26Input = {
  /** Size preset of the image (total pixels 768x768 to 1280x1280). */
  imageSize?: WanImage26ImageSize | null | undefined;
  /** What the image should not contain. (at most 2000 characters) */
  negativePrompt?: string | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

/** Values of `aspectRatio` for Wan Image 2.7. */
export type WanImage27AspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `9:21` */
  | 'RATIO_9_21'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Wan Image 2.7 (`wan-image-2.7`). */
export type WanImage27Input = {
  /** Shape of the image. */
  aspectRatio?: WanImage27AspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier. */
  resolution?: WanImage27Resolution | null | undefined;
  /** Let the model reason about the prompt first (slower, better composition). */
  thinkingMode?: boolean | null | undefined;
};

/** Values of `aspectRatio` for Wan Image 2.7 Pro. */
export type WanImage27ProAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `9:21` */
  | 'RATIO_9_21'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Wan Image 2.7 Pro (`wan-image-2.7-pro`). */
export type WanImage27ProInput = {
  /** Shape of the image. */
  aspectRatio?: WanImage27ProAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
  /** Output resolution tier. */
  resolution?: WanImage27ProResolution | null | undefined;
  /** Let the model reason about the prompt first (slower, better composition). */
  thinkingMode?: boolean | null | undefined;
};

/** Values of `resolution` for Wan Image 2.7 Pro. */
export type WanImage27ProResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K'
  /** `4K` */
  | 'RES_4K';

/** Values of `resolution` for Wan Image 2.7. */
export type WanImage27Resolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K';

/** What a webhook is sent for: the job update types of `jobUpdated`, terminal ones named by the status the job ends in. */
export type WebhookEvent =
  /** The job was canceled. */
  | 'CANCELED'
  /** Accepted on input as SUCCEEDED. */
  | 'COMPLETED'
  /** The job ended without images. */
  | 'FAILED'
  /** Progress or stage changed; coalesced for slow receivers. */
  | 'PROGRESS'
  /** The job was created and waits for a worker. */
  | 'QUEUED'
  /** A worker started an attempt. */
  | 'STARTED'
  /** The job ended with its images. */
  | 'SUCCEEDED';

/** Where to POST this job's updates, signed by the Standard Webhooks specification with the account's secret (`viewer { webhookSecret }`). https is required outside development; private and loopback addresses are refused. */
export type WebhookInput = {
  /** Events to send; omitted: SUCCEEDED, FAILED, CANCELED. */
  events?: Array<WebhookEvent> | null | undefined;
  /** The receiver: https outside development. */
  url: string;
};

/** Values of `aspectRatio` for Z-Image Turbo. */
export type ZImageAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `9:21` */
  | 'RATIO_9_21'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Z-Image Turbo (`z-image`). */
export type ZImageInput = {
  /** Shape of the image. */
  aspectRatio?: ZImageAspectRatio | null | undefined;
  /** Text description of the desired image (1-2000 characters). Refer to reference images as [image 1], [image 2], ... (at most 2000 characters) */
  prompt: string;
};

export type ClientJobFragment = { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> };

type ClientGenerateResult_GenerateImageSuccess_Fragment = { __typename: 'GenerateImageSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } };

type ClientGenerateResult_IdempotencyConflictError_Fragment = { __typename: 'IdempotencyConflictError', code: string, message: string };

type ClientGenerateResult_InsufficientCreditsError_Fragment = { __typename: 'InsufficientCreditsError', code: string, message: string, required: number, available: number };

type ClientGenerateResult_ModelUnavailableError_Fragment = { __typename: 'ModelUnavailableError', code: string, message: string };

type ClientGenerateResult_ValidationError_Fragment = { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: Array<string>, message: string }> };

export type ClientGenerateResultFragment =
  | ClientGenerateResult_GenerateImageSuccess_Fragment
  | ClientGenerateResult_IdempotencyConflictError_Fragment
  | ClientGenerateResult_InsufficientCreditsError_Fragment
  | ClientGenerateResult_ModelUnavailableError_Fragment
  | ClientGenerateResult_ValidationError_Fragment
;

export type ClientModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientModelsQuery = { models: Array<{ id: string, name: string, description: string, inputField: string, available: boolean, parametersJsonSchema: unknown, capabilities: { textToImage: boolean, editing: boolean, requiresInputImage: boolean, maxReferenceImages: number, maxN: number, seed: boolean, streamingPreviews: boolean, transparentBackground: boolean }, parameters: Array<{ name: string, type: string, required: boolean, default: unknown, description: string | null, allowedValues: Array<string> | null, min: number | null, max: number | null }> }> };

export type ClientJobQueryVariables = Exact<{
  id: string | number;
}>;


export type ClientJobQuery = { job: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } | null };

export type ClientGenerateMutationVariables = Exact<{
  input: GenerateImageInput;
}>;


export type ClientGenerateMutation = { generateImage:
    | { __typename: 'GenerateImageSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } }
    | { __typename: 'IdempotencyConflictError', code: string, message: string }
    | { __typename: 'InsufficientCreditsError', code: string, message: string, required: number, available: number }
    | { __typename: 'ModelUnavailableError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: Array<string>, message: string }> }
   };

export type ClientGenerateWithParamsMutationVariables = Exact<{
  input: GenerateImageWithParamsInput;
}>;


export type ClientGenerateWithParamsMutation = { generateImageWithParams:
    | { __typename: 'GenerateImageSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } }
    | { __typename: 'IdempotencyConflictError', code: string, message: string }
    | { __typename: 'InsufficientCreditsError', code: string, message: string, required: number, available: number }
    | { __typename: 'ModelUnavailableError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: Array<string>, message: string }> }
   };

export type ClientCancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientCancelJobMutation = { cancelJob: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } | null };

export type ClientJobUpdatedSubscriptionVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type ClientJobUpdatedSubscription = { jobUpdated: { cursor: string, type: JobUpdateType, progress: number, stage: string | null, message: string | null, createdAt: string, preview: { id: string, url: string, width: number, height: number } | null, job: { id: string, status: JobStatus, progress: number, stage: string | null, modelId: string, seed: number, warnings: Array<string>, creditsCharged: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number }> } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ClientJobFragmentDoc = new TypedDocumentString(`
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}
    `, {"fragmentName":"ClientJob"}) as unknown as TypedDocumentString<ClientJobFragment, unknown>;
export const ClientGenerateResultFragmentDoc = new TypedDocumentString(`
    fragment ClientGenerateResult on GenerateImageResult {
  __typename
  ... on GenerateImageSuccess {
    job {
      ...ClientJob
    }
  }
  ... on Error {
    code
    message
  }
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on InsufficientCreditsError {
    required
    available
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}`, {"fragmentName":"ClientGenerateResult"}) as unknown as TypedDocumentString<ClientGenerateResultFragment, unknown>;
export const ClientModelsDocument = new TypedDocumentString(`
    query ClientModels {
  models {
    id
    name
    description
    inputField
    available
    parametersJsonSchema
    capabilities {
      textToImage
      editing
      requiresInputImage
      maxReferenceImages
      maxN
      seed
      streamingPreviews
      transparentBackground
    }
    parameters {
      name
      type
      required
      default
      description
      allowedValues
      min
      max
    }
  }
}
    `) as unknown as TypedDocumentString<ClientModelsQuery, ClientModelsQueryVariables>;
export const ClientJobDocument = new TypedDocumentString(`
    query ClientJob($id: ID!) {
  job(id: $id) {
    ...ClientJob
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}`) as unknown as TypedDocumentString<ClientJobQuery, ClientJobQueryVariables>;
export const ClientGenerateDocument = new TypedDocumentString(`
    mutation ClientGenerate($input: GenerateImageInput!) {
  generateImage(input: $input) {
    ...ClientGenerateResult
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}
fragment ClientGenerateResult on GenerateImageResult {
  __typename
  ... on GenerateImageSuccess {
    job {
      ...ClientJob
    }
  }
  ... on Error {
    code
    message
  }
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on InsufficientCreditsError {
    required
    available
  }
}`) as unknown as TypedDocumentString<ClientGenerateMutation, ClientGenerateMutationVariables>;
export const ClientGenerateWithParamsDocument = new TypedDocumentString(`
    mutation ClientGenerateWithParams($input: GenerateImageWithParamsInput!) {
  generateImageWithParams(input: $input) {
    ...ClientGenerateResult
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}
fragment ClientGenerateResult on GenerateImageResult {
  __typename
  ... on GenerateImageSuccess {
    job {
      ...ClientJob
    }
  }
  ... on Error {
    code
    message
  }
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on InsufficientCreditsError {
    required
    available
  }
}`) as unknown as TypedDocumentString<ClientGenerateWithParamsMutation, ClientGenerateWithParamsMutationVariables>;
export const ClientCancelJobDocument = new TypedDocumentString(`
    mutation ClientCancelJob($id: ID!) {
  cancelJob(id: $id) {
    ...ClientJob
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}`) as unknown as TypedDocumentString<ClientCancelJobMutation, ClientCancelJobMutationVariables>;
export const ClientJobUpdatedDocument = new TypedDocumentString(`
    subscription ClientJobUpdated($id: ID!, $after: String) {
  jobUpdated(id: $id, after: $after) {
    cursor
    type
    progress
    stage
    message
    createdAt
    preview {
      id
      url
      width
      height
    }
    job {
      ...ClientJob
    }
  }
}
    fragment ClientJob on Job {
  id
  status
  progress
  stage
  modelId
  seed
  warnings
  creditsCharged
  createdAt
  startedAt
  finishedAt
  error {
    code
    message
  }
  images {
    id
    url
    width
    height
    format
    bytes
  }
}`) as unknown as TypedDocumentString<ClientJobUpdatedSubscription, ClientJobUpdatedSubscriptionVariables>;