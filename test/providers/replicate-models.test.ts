import { describe, expect, it } from 'vitest';
import { models } from '../../src/catalog/index.js';
import { buildInput, upstreamCalls } from '../../src/providers/shared/input-mapping.js';
import type { GenerationRequest } from '../../src/catalog/request.js';
import { replicateInputFields } from './fixtures/replicate/input-schemas.js';

/**
 * The catalog's Replicate routes against the models' documented input schemas: every route to
 * Replicate declares its input mapping, catalog defaults map without warnings, and only declared
 * fields are sent. The inputs for every model at its defaults are kept in
 * `fixtures/replicate/default-inputs.json` so a change to any mapping shows up in review.
 */

const replicateRouted = models.flatMap((model) => model.routes.filter((route) => route.provider === 'replicate').map((route) => ({ model, route })));
const reference = { bytes: new Uint8Array([1, 2, 3]), format: 'png', width: 1, height: 1 };

describe('Replicate routes', () => {
  it('declare an input mapping on every route to Replicate, each for a model whose schema is on file', () => {
    expect(replicateRouted.filter(({ route }) => !route.input).map(({ model }) => model.id)).toEqual([]);
    expect(Object.keys(replicateInputFields).sort()).toEqual(replicateRouted.map(({ route }) => route.upstreamModel).sort());
  });

  it('maps every model at its catalog defaults without warnings, sending only fields the model declares', async () => {
    const inputs: Record<string, unknown> = {};
    for (const { model, route } of replicateRouted) {
      for (const editing of model.capabilities.editing ? [false, true] : [false]) {
        if (!editing && model.capabilities.requiresInputImage) continue;
        const request: GenerationRequest = {
          modelId: model.id,
          upstreamModel: route.upstreamModel,
          params: model.params.parse({ prompt: 'a cat' }),
          n: 1,
          seed: 1,
          references: editing ? [reference] : [],
          output: { format: 'png' },
        };
        const spec = route.input!;
        const built = buildInput(spec, request, 'Replicate', editing ? ['<reference>'] : undefined);
        const [call] = upstreamCalls(spec, request, built.input);
        expect([model.id, built.warnings]).toEqual([model.id, []]);
        const declared = new Set(replicateInputFields[route.upstreamModel]);
        expect([route.upstreamModel, Object.keys(call.input).filter((field) => !declared.has(field))]).toEqual([route.upstreamModel, []]);
        inputs[`${model.id}${editing ? ' (with a reference)' : ''} -> ${route.upstreamModel}`] = call.input;
      }
    }
    await expect(JSON.stringify(inputs, null, 2)).toMatchFileSnapshot('./fixtures/replicate/default-inputs.json');
  });
});
