import { describeParameters, parametersJsonSchema, type ParameterDescription } from '../catalog/listing/describe.js';
import { CapabilityFilters, filterModels, modelAvailability, vendors, type CapabilityFilter } from '../catalog/listing/discovery.js';
import { findModel } from '../catalog/index.js';
import { enumValueName, modelFieldName } from '../catalog/listing/names.js';
import type { ModelCapabilities, ModelDefinition, ModelRoute } from '../catalog/spec.js';
import { styles, type StyleDefinition } from '../catalog/rules/styles.js';
import { templates, type TemplateDefinition } from '../catalog/rules/templates.js';
import { estimatePrice, priceCases, type PriceCase } from '../catalog/rules/pricing.js';
import { localEngineReasons } from '../providers/local/engine-status.js';
import type { Context } from '../services.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';

const CapabilitiesType = builder.objectRef<ModelCapabilities>('ModelCapabilities').implement({
  description: 'What a model can do.',
  fields: (t) => ({
    textToImage: t.exposeBoolean('textToImage', { description: 'Makes pictures from a prompt alone.' }),
    editing: t.exposeBoolean('editing', { description: 'Takes reference images to edit or guide the result.' }),
    maxReferenceImages: t.exposeInt('maxReferenceImages', { description: 'Most reference images a job may give (0: none).' }),
    requiresInputImage: t.exposeBoolean('requiresInputImage', { description: 'Needs at least one reference image (editing-only models, background removal, vectorizing).' }),
    maxN: t.exposeInt('maxN', { description: 'Most images one upstream call returns (larger n is split into several calls where the model allows).' }),
    outputFormats: t.stringList({ description: 'File formats it can produce (png, webp, jpeg, svg).', resolve: (capabilities) => [...capabilities.outputFormats] }),
    transparentBackground: t.exposeBoolean('transparentBackground', { description: 'Can produce a transparent background.' }),
    seed: t.exposeBoolean('seed', { description: 'Honours `seed` for reproducible results.' }),
    streamingPreviews: t.exposeBoolean('streamingPreviews', { description: 'Sends preview frames while it runs.' }),
  }),
});

const ModelParameterType = builder.objectRef<ParameterDescription>('ModelParameter').implement({
  description: 'One parameter of a model, enough to build a form field. Derived from the same schema that validates it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "The parameter's name in `params` and in the model's typed input." }),
    type: t.exposeString('type', { description: 'string | integer | number | boolean | enum' }),
    required: t.exposeBoolean('required', { description: 'Whether a job must give it.' }),
    allowedValues: t.stringList({
      nullable: true,
      description: "Raw values accepted (enums), in the vendor's order.",
      resolve: (parameter) => (parameter.allowedValues ? [...parameter.allowedValues] : null),
    }),
    graphqlValues: t.stringList({
      nullable: true,
      description: 'The same values as spelled in the typed GraphQL input (`RATIO_16_9`).',
      resolve: (parameter) => parameter.allowedValues?.map(enumValueName) ?? null,
    }),
    default: t.field({ description: 'Value used when omitted.', type: 'JSON', nullable: true, resolve: (parameter) => parameter.default ?? null }),
    min: t.float({ description: 'Smallest number accepted.', nullable: true, resolve: (parameter) => parameter.min ?? null }),
    max: t.float({ description: 'Largest number accepted.', nullable: true, resolve: (parameter) => parameter.max ?? null }),
    multipleOf: t.float({ description: 'Numbers must be a multiple of this.', nullable: true, resolve: (parameter) => parameter.multipleOf ?? null }),
    minLength: t.int({ description: 'Shortest text accepted.', nullable: true, resolve: (parameter) => parameter.minLength ?? null }),
    maxLength: t.int({ description: 'Longest text accepted.', nullable: true, resolve: (parameter) => parameter.maxLength ?? null }),
    format: t.string({ description: 'Text format (e.g. uri), when it has one.', nullable: true, resolve: (parameter) => parameter.format ?? null }),
    description: t.string({ description: 'What it does, as a form hint.', nullable: true, resolve: (parameter) => parameter.description ?? null }),
  }),
});

const ModelRouteType = builder.objectRef<ModelRoute & { configured: boolean }>('ModelRoute').implement({
  description: 'A place the model can run, in order of preference.',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: 'The engine or upstream.' }),
    upstreamModel: t.exposeString('upstreamModel', { description: "The model id in the upstream's own naming." }),
    configured: t.exposeBoolean('configured', { description: 'Whether this deployment has credentials for the provider.' }),
  }),
});

const PriceCaseType = builder.objectRef<PriceCase>('PriceCase').implement({
  description: 'One input case and what one image costs in it, computed by the same path that prices the job.',
  fields: (t) => ({
    condition: t.exposeString('condition', { description: '`default parameters`, `quality = high`, `with reference images (runs ...)`.' }),
    params: t.field({ type: 'JSON', description: 'The params that differ from the defaults in this case.', resolve: (entry) => entry.params }),
    references: t.int({ description: 'Reference images in this case.', resolve: (entry) => entry.referenceCount }),
    credits: t.exposeInt('credits', { description: 'Credits for one image.' }),
    runsModelId: t.exposeString('runsModelId', { description: 'The model that runs, and is charged, in this case.' }),
  }),
});

function configuredProviders(context: Context): ReadonlySet<string> {
  return new Set(context.services.providers.keys());
}

export const ModelType = builder.objectRef<ModelDefinition>('Model').implement({
  description: 'An image model with its typed parameters.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Canonical kebab-case id.' }),
    aliases: t.stringList({ description: "Other ids accepted for this model (each reference API's spelling).", resolve: (model) => [...model.aliases] }),
    inputField: t.string({ description: "Name of this model's field in `GenerateImageInput.model`.", resolve: (model) => modelFieldName(model.id) }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'What the model is good at, in a sentence or two.' }),
    vendor: t.exposeString('vendor', { description: 'Who makes the model.' }),
    capabilities: t.field({ description: 'What it can do.', type: CapabilitiesType, resolve: (model) => model.capabilities }),
    parameters: t.field({ description: 'Its parameters, enough to build a form.', type: [ModelParameterType], resolve: (model) => [...describeParameters(model)] }),
    parametersJsonSchema: t.field({ type: 'JSON', description: 'JSON Schema of the parameters (with enum and default).', resolve: (model) => parametersJsonSchema(model) }),
    price: t.int({
      nullable: true,
      description:
        'Credits for a job with these inputs (defaults where omitted; one image, no references unless the model needs one); null when they are invalid. ' +
        'With `references`, a model that takes none is priced as the model it is upgraded to, as the job will be.',
      args: {
        params: t.arg({ description: "The model's parameters with raw values, as `generateImageWithParams` takes them.", type: 'JSON' }),
        references: t.arg.int({ description: 'How many reference images the job would have.' }),
        n: t.arg.int({ description: 'Images wanted (default 1).' }),
        template: t.arg.string({ description: 'A template slug the job would use.' }),
      },
      resolve: (model, args) => {
        const params = args.params;
        if (params != null && (typeof params !== 'object' || Array.isArray(params))) return null;
        const estimate = estimatePrice(model, {
          ...(params ? { params: params as Record<string, unknown> } : {}),
          ...(args.references != null ? { referenceCount: args.references } : {}),
          ...(args.n != null ? { n: args.n } : {}),
          ...(args.template != null ? { template: args.template } : {}),
        });
        return estimate.ok ? estimate.credits : null;
      },
    }),
    pricing: t.field({
      type: [PriceCaseType],
      description: 'The price at the defaults, then each input case that changes it (a param value, reference images that upgrade the model).',
      resolve: (model) => [...priceCases(model)],
    }),
    namedBy: t.string({
      nullable: true,
      description: "The reference service whose name was used to look this model up (`tripo`, `wonda`, `apiframe`) when its rules apply; null for Pictor's own.",
      resolve: (model) => model.serviceRules?.service ?? null,
    }),
    rules: t.stringList({
      description: "The documented rules that apply under the name used (price, prompt limits, files), in sentences; empty for Pictor's own.",
      resolve: (model) => [...(model.serviceRules?.rules ?? [])],
    }),
    routes: t.field({
      description: 'Where it can run, in order of preference.',
      type: [ModelRouteType],
      resolve: (model, _args, context) => model.routes.map((route) => ({ ...route, configured: context.services.providers.has(route.provider) })),
    }),
    available: t.boolean({
      description: 'Whether a route to run this model is configured in this deployment.',
      resolve: (model, _args, context) => modelAvailability(model, configuredProviders(context)).available,
    }),
    unavailableReason: t.string({
      description: 'Why it cannot run in this deployment; null when it can.',
      nullable: true,
      resolve: (model, _args, context) => {
        const reason = modelAvailability(model, configuredProviders(context)).reason;
        return reason === undefined ? null : [reason, ...localEngineReasons(model.routes.map((route) => route.provider))].join('. ');
      },
    }),
    sources: t.stringList({ description: 'Vendor documentation the parameters follow.', resolve: (model) => [...(model.sources ?? [])] }),
  }),
});

const capabilityDescriptions: Record<CapabilityFilter, string> = {
  textToImage: 'Makes pictures from a prompt alone.',
  editing: 'Takes reference images to edit or guide the result.',
  references: 'Takes at least one reference image.',
  requiresInputImage: 'Needs a reference image.',
  multipleImages: 'Can make several images in one job.',
  transparentBackground: 'Can produce a transparent background.',
  seed: 'Honours `seed`.',
  streamingPreviews: 'Sends preview frames while it runs.',
  vector: 'Can produce SVG.',
};

const CapabilityEnum = builder.enumType('ModelCapability', {
  description: 'A capability to filter models by.',
  values: Object.fromEntries(
    (Object.keys(CapabilityFilters) as CapabilityFilter[]).map((name) => [name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), { value: name, description: capabilityDescriptions[name] }]),
  ),
});

const ModelFilterInput = builder.inputType('ModelFilter', {
  description: 'Which models to list; every filter given must match.',
  fields: (t) => ({
    capability: t.field({ description: 'Only models with this capability.', type: CapabilityEnum }),
    vendor: t.string({ description: 'Vendor name, case-insensitive (`google`).' }),
    search: t.string({ description: 'Words matched against id, aliases, name, description and vendor; all must match.' }),
    available: t.boolean({ description: 'Only models that can (or cannot) run in this deployment.' }),
  }),
});

const TemplateType = builder.objectRef<TemplateDefinition>('Template').implement({
  description: 'A server-side preset: a prompt prefix (and optional reference images) applied with `template: slug`.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'The name to pass as `template`.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'What it makes.' }),
    promptPrefix: t.exposeString('promptPrefix', { description: "Put before the job's prompt." }),
    referenceImageUrls: t.stringList({ description: "Reference images put before the job's own.", resolve: (template) => [...template.referenceImageUrls] }),
    models: t.field({ description: 'Models it is made for.', type: [ModelType], resolve: (template) => template.models.flatMap((id) => findModel(id) ?? []) }),
    recommendedModel: t.field({ description: 'The model it works best with.', type: ModelType, nullable: true, resolve: (template) => findModel(template.recommendedModel) ?? null }),
    recommendedAspectRatio: t.string({ description: 'The aspect ratio it works best with (`16:9`).', nullable: true, resolve: (template) => template.recommendedAspectRatio ?? null }),
    requiresInputImage: t.exposeBoolean('requiresInputImage', { description: 'Always false: Tripo recommends an input image for some templates but requires none.' }),
    bestWithInputImage: t.exposeBoolean('bestWithInputImage', { description: 'Tripo lists "Image Input" in its "Best with" note; without one the job warns.' }),
    bestWith: t.exposeString('bestWith', { description: 'Tripo\'s full "Best with" note (model, input, aspect ratio, 3D settings).' }),
  }),
});

export const StyleType = builder.objectRef<StyleDefinition>('Style').implement({
  description: "A server-side style for Wonda's `styleId`: its prompt prefix is applied to the prompt.",
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The UUID to send as `styleId`.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    promptPrefix: t.exposeString('promptPrefix', { description: "Put before the job's prompt." }),
  }),
});

builder.queryFields((t) => ({
  styles: t.field({ type: [StyleType], description: 'Styles usable as `styleId` (nano-banana-2, nano-banana-pro); an operator adds rows in src/catalog/rules/styles.ts.', resolve: () => [...styles] }),
  models: t.field({
    type: [ModelType],
    description: 'Models in the catalog, optionally filtered.',
    args: { filter: t.arg({ type: ModelFilterInput, description: 'Only models that match.' }) },
    resolve: (_root, { filter }, context) => {
      const matching = filterModels({ capability: filter?.capability ?? undefined, vendor: filter?.vendor ?? undefined, search: filter?.search ?? undefined });
      if (filter?.available == null) return matching;
      const configured = configuredProviders(context);
      return matching.filter((model) => modelAvailability(model, configured).available === filter.available);
    },
  }),
  model: t.field({
    type: ModelType,
    nullable: true,
    description: 'A model by id or any alias (`seedream-4-5`, `gpt_4o`).',
    args: { id: t.arg.id({ required: true, description: 'Model id or alias.' }) },
    resolve: (_root, args) => findModel(String(args.id)) ?? null,
  }),
  vendors: t.stringList({ description: 'Every vendor in the catalog.', resolve: () => vendors() }),
  templates: t.field({ type: [TemplateType], description: 'Prompt presets usable with the models they list.', resolve: () => [...templates] }),
}));
