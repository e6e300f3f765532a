import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../../src/catalog/index.js';
import type { ModelDefinition } from '../../src/catalog/spec.js';
import { specFor } from '../../src/catalog/routes/input-spec.js';
import { buildInput, upstreamCalls } from '../../src/providers/shared/input-mapping.js';
import type { GenerationRequest } from '../../src/catalog/request.js';

/**
 * The catalog's fal routes against fal's own endpoint schemas: every route to fal declares its
 * input mapping, catalog defaults map without warnings, and every field Pictor sends is
 * one the endpoint declares in the typed endpoint map shipped with @fal-ai/client 1.10.1.
 * The inputs for every model at its defaults are kept in `fixtures/fal/default-inputs.json`
 * so a change to any mapping shows up in review.
 */

const falRouted = models.flatMap((model) => model.routes.filter((route) => route.provider === 'fal').map((route) => ({ model, route })));
/** Catalog capabilities fal's endpoint lacks; the adapter warns for them (tested in fal.test.ts). */
const KnownGaps: Readonly<Record<string, string>> = { 'flux-1.1-pro': "fal's FLUX 1.1 [pro] endpoint takes no image prompt" };
const reference = { bytes: new Uint8Array([1, 2, 3]), format: 'png', width: 1, height: 1 };

function defaultRequest(model: ModelDefinition, route: { upstreamModel: string; upstreamEditModel?: string }, editing: boolean): GenerationRequest {
  return {
    modelId: model.id,
    upstreamModel: route.upstreamModel,
    ...(route.upstreamEditModel ? { upstreamEditModel: route.upstreamEditModel } : {}),
    params: model.params.parse('prompt' in model.params.shape ? { prompt: 'a cat' } : {}),
    n: 1,
    seed: 1,
    references: editing ? [reference] : [],
    output: { format: 'png' },
  };
}

/** Field names of an endpoint's input type in @fal-ai/client's endpoint map, or undefined when it is not listed. */
const endpointTypes = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@fal-ai/client')), 'types', 'endpoints.d.ts'), 'utf8');

function declaredFields(endpoint: string): Set<string> | undefined {
  const source = endpointTypes;
  const typeName = new RegExp(`"${endpoint.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": \\{\\s*input: (\\w+);`).exec(source)?.[1];
  if (!typeName) return undefined;
  let name = typeName;
  for (let alias = new RegExp(`export type ${name} = (\\w+);`).exec(source); alias; alias = new RegExp(`export type ${name} = (\\w+);`).exec(source)) name = alias[1];
  const start = source.indexOf('{', source.indexOf(`export type ${name} = {`));
  let depth = 0;
  let end = start;
  for (; end < source.length; end++) {
    if (source[end] === '{') depth++;
    else if (source[end] === '}' && --depth === 0) break;
  }
  return new Set([...source.slice(start, end).matchAll(/^ {4}(\w+)\??:/gm)].map((match) => match[1]));
}

describe('fal routes', () => {
  it('declare an input mapping on every route to fal', () => {
    expect(falRouted.filter(({ route }) => !route.input).map(({ model }) => model.id)).toEqual([]);
  });

  it('maps every model at its catalog defaults without warnings, sending only fields the endpoint declares', async () => {
    const inputs: Record<string, unknown> = {};
    for (const { model, route } of falRouted) {
      for (const editing of model.capabilities.editing ? [false, true] : [false]) {
        const request = defaultRequest(model, route, editing);
        if (!editing && model.capabilities.requiresInputImage) continue;
        const spec = route.input!;
        const endpoint = editing ? (specFor(spec, 'edit').endpoint ?? route.upstreamEditModel ?? route.upstreamModel) : route.upstreamModel;
        const built = buildInput(spec, request, 'fal');
        const [call] = upstreamCalls(spec, request, built.input);
        if (!(editing && KnownGaps[model.id])) expect([model.id, built.warnings]).toEqual([model.id, []]);
        const declared = declaredFields(endpoint);
        // wan/v2.7 and fal-ai/reve postdate the client's endpoint map; their fields come from fal's model pages.
        if (declared) expect([endpoint, Object.keys(call.input).filter((field) => !declared.has(field))]).toEqual([endpoint, []]);
        inputs[`${model.id}${editing ? ' (with a reference)' : ''} -> ${endpoint}`] = {
          ...call.input,
          ...('image_urls' in call.input ? { image_urls: ['<data URI>'] } : {}),
          ...('image_url' in call.input ? { image_url: '<data URI>' } : {}),
          ...('reference_image_urls' in call.input ? { reference_image_urls: ['<data URI>'] } : {}),
        };
      }
    }
    await expect(JSON.stringify(inputs, null, 2)).toMatchFileSnapshot('./fixtures/fal/default-inputs.json');
  });
});
