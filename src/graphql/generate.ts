import { findModel } from '../catalog/index.js';
import { builder } from './builder.js';
import { validationError } from './errors.js';
import { GenerateImageResultType, MediaRefInput, OutputInput, submitGeneration, typedResult, withoutNulls } from './generation.js';
import { GenerateImageModelInput, modelsByField } from './model-inputs.js';
import { currentWebhookEvent, type LegacyWebhookEvent, type WebhookEvent } from '../webhooks/events.js';
import { WebhookInput } from './webhook.js';

const commonFields = {
  n: 'Number of images (1-10). Above what one upstream call returns, the job makes several calls where the model allows.',
  seed: 'For reproducible results; chosen at random (and reported on the job) when omitted.',
  idempotencyKey: 'Repeating a request with the same key returns the original job instead of creating and charging a new one.',
  template: 'A template slug (see `templates`): its prompt prefix and reference images are merged in.',
  references: 'Reference or input images, in order.',
  webhook: "POST this job's updates to a URL, signed with the account's webhook secret (Standard Webhooks).",
} as const;

const GenerateImageInputType = builder.inputType('GenerateImageInput', {
  description: 'A job for one model with its typed parameters.',
  fields: (t) => ({
    model: t.field({ type: GenerateImageModelInput, required: true, description: 'The model (exactly one field) and its typed parameters.' }),
    references: t.field({ type: [MediaRefInput], description: commonFields.references }),
    n: t.int({ defaultValue: 1, description: commonFields.n }),
    seed: t.field({ type: 'Seed', description: commonFields.seed }),
    output: t.field({ type: OutputInput, description: 'How the outputs are encoded and stored.' }),
    template: t.string({ description: commonFields.template }),
    idempotencyKey: t.string({ description: commonFields.idempotencyKey }),
    webhook: t.field({ type: WebhookInput, description: commonFields.webhook }),
  }),
});

const GenerateImageWithParamsInputType = builder.inputType('GenerateImageWithParamsInput', {
  description: 'The model-agnostic form for dynamic clients: any model id or alias, raw parameter values (`"16:9"`, `"2K"`), and normalized options mapped onto what the model supports.',
  fields: (t) => ({
    model: t.id({ required: true, description: 'Model id or alias.' }),
    prompt: t.string({ description: 'The prompt, for models that take one (the same as `params.prompt`).' }),
    params: t.field({ type: 'JSON', description: 'The model\'s parameters with raw values, e.g. { "aspectRatio": "16:9", "resolution": "2K" }.' }),
    aspectRatio: t.string({ description: 'Any "w:h"; mapped to the nearest ratio the model supports (with a job warning when not exact).' }),
    resolution: t.string({ description: '512, 1K, 2K or 4K; mapped to the nearest tier the model supports.' }),
    size: t.string({ description: '"2K" or "2048x1536"; conflicts with a different aspectRatio or resolution.' }),
    references: t.field({ type: [MediaRefInput], description: commonFields.references }),
    n: t.int({ defaultValue: 1, description: commonFields.n }),
    seed: t.field({ type: 'Seed', description: commonFields.seed }),
    output: t.field({ type: OutputInput, description: 'How the outputs are encoded and stored.' }),
    template: t.string({ description: commonFields.template }),
    idempotencyKey: t.string({ description: commonFields.idempotencyKey }),
    webhook: t.field({ type: WebhookInput, description: commonFields.webhook }),
  }),
});

/** The job's webhook input with old event names mapped to the current ones. */
function jobWebhook(webhook: { url: string; events?: readonly (WebhookEvent | LegacyWebhookEvent)[] | null } | null | undefined) {
  return webhook && { url: webhook.url, events: webhook.events?.map(currentWebhookEvent) ?? null };
}

const outputPaths = { outputFormat: ['output', 'format'], outputCompression: ['output', 'compression'], background: ['output', 'background'] };

function outputOptions(output: { format?: string | null; compression?: number | null; background?: string | null } | null | undefined) {
  return withoutNulls({ outputFormat: output?.format, outputCompression: output?.compression, background: output?.background }) as Record<string, never>;
}

builder.mutationFields((t) => ({
  generateImage: t.field({
    authScopes: { generate: true },
    type: GenerateImageResultType,
    description: 'Starts a generation job with typed parameters. Invalid input, a short balance or a model that cannot run here is returned as an error result and creates nothing.',
    args: { input: t.arg({ type: GenerateImageInputType, required: true, description: 'The model, its parameters and the job options.' }) },
    resolve: (_root, { input }, context) => {
      const [field, params] = Object.entries(input.model as Record<string, Record<string, unknown> | null>).find(([, value]) => value != null) ?? [];
      const model = field ? modelsByField.get(field) : undefined;
      if (!field || !model || !params) return typedResult(validationError([{ path: ['model'], message: 'choose exactly one model' }]));
      return submitGeneration(context, {
        model,
        params: withoutNulls(params),
        references: input.references ?? [],
        n: input.n ?? 1,
        seed: input.seed,
        template: input.template,
        options: outputOptions(input.output),
        idempotencyKey: input.idempotencyKey,
        webhook: jobWebhook(input.webhook),
        paramsPath: ['model', field],
        optionPaths: outputPaths,
      });
    },
  }),
  generateImageWithParams: t.field({
    authScopes: { generate: true },
    type: GenerateImageResultType,
    description: 'Starts a generation job for any model by id or alias, validated by the same schemas as `generateImage`.',
    args: { input: t.arg({ type: GenerateImageWithParamsInputType, required: true, description: 'The model id or alias, raw parameters and the job options.' }) },
    resolve: (_root, { input }, context) => {
      const model = findModel(String(input.model));
      if (!model) return typedResult(validationError([{ path: ['model'], message: `Unknown model ${JSON.stringify(input.model)}; see the models query` }]));
      const rawParams = input.params ?? {};
      if (typeof rawParams !== 'object' || Array.isArray(rawParams)) return typedResult(validationError([{ path: ['params'], message: 'must be an object' }]));
      const params = { ...(rawParams as Record<string, unknown>), ...(input.prompt != null ? { prompt: input.prompt } : {}) };
      return submitGeneration(context, {
        model,
        params,
        references: input.references ?? [],
        n: input.n ?? 1,
        seed: input.seed,
        template: input.template,
        options: { ...withoutNulls({ aspectRatio: input.aspectRatio, resolution: input.resolution, size: input.size }), ...outputOptions(input.output) },
        idempotencyKey: input.idempotencyKey,
        webhook: jobWebhook(input.webhook),
        paramsPath: ['params'],
        ...(input.prompt != null ? { promptPath: ['prompt'] } : {}),
        optionPaths: { aspectRatio: ['aspectRatio'], resolution: ['resolution'], size: ['size'], ...outputPaths },
      });
    },
  }),
}));
