import fs from 'node:fs';
import { describeParameters } from './describe.js';
import { findModelFor, models } from '../index.js';
import { modelFieldName } from './names.js';
import { priceCases } from '../rules/pricing.js';
import { ApiframeModelIds, ReferenceServices, TripoDefaultModelVersion, TripoModelVersions, WondaModelKeys } from '../rules/service-rules.js';
import type { ModelDefinition } from '../spec.js';
import { styles } from '../rules/styles.js';
import { templates } from '../rules/templates.js';

/** `10 credits at the defaults; quality = high: 20; ...` */
function priceLine(model: ModelDefinition): string {
  const [base, ...others] = priceCases(model);
  if (!base) return 'Price: see `Model.price(params:)`.';
  const rest = others.map((entry) => `${entry.condition}: ${entry.credits}`);
  return `Price per image: ${base.credits} credit${base.credits === 1 ? '' : 's'} at the defaults${rest.length ? `; ${rest.join('; ')}` : ''}.`;
}

/** The names of the reference services and the rules each brings. */
function serviceSection(): string[] {
  const lines = [
    '',
    '## Names and their rules',
    '',
    "A model asked for under a reference service's own name follows that service's documented rules,",
    "whatever its other names do; under Pictor's canonical id it follows the catalog entry above.",
    "Names only one service uses carry its rules everywhere (`gpt_4o` is Tripo's, `seedream-4-5` Wonda's);",
    'a name several use (`midjourney`: Apiframe and Tripo) is the catalog entry unless qualified as',
    '`tripo:midjourney`, `wonda:nano-banana-2` or `apiframe:nano-banana-2`. Each REST route uses its own',
    "service's names. `model(id)` shows the rules in force (`namedBy`, `rules`, `price`, `pricing`).",
    '',
    `### Tripo \`model_version\` (default \`${TripoDefaultModelVersion}\`)`,
    '',
    '| model_version | model | credits per image (any parameters) | max files | prompt |',
    '|---|---|---|---|---|',
  ];
  for (const entry of TripoModelVersions) {
    const view = findModelFor(ReferenceServices.tripo, entry.version)!;
    const files = entry.takesNoFiles ? `none (with files: runs \`${TripoDefaultModelVersion}\`)` : String(view.capabilities.maxReferenceImages);
    lines.push(`| \`${entry.version}\` | \`${entry.modelId}\` | ${entry.credits} | ${files} | 1-1024 characters, no emoji or special Unicode |`);
  }
  lines.push(
    '',
    'Files: `file` or `files`, each with exactly one of `file_token` (a Pictor media id), `url` (http(s)) or',
    '`object` (`bucket` `tripo-data` or `pictor`, `key` a Pictor media storage key or media id). WebP files are',
    'converted to PNG for `flux.1_kontext_pro`.',
    '',
    '### Wonda model keys',
    '',
    "| key | model | parameters (Wonda's table, without other services' extras) |",
    '|---|---|---|',
  );
  for (const [key, modelId] of Object.entries(WondaModelKeys)) {
    const view = findModelFor(ReferenceServices.wonda, key)!;
    lines.push(
      `| \`${key}\` | \`${modelId}\` | ${describeParameters(view)
        .map((parameter) => `\`${parameter.name}\``)
        .join(', ')} |`,
    );
  }
  lines.push('', '### Apiframe identifiers', '', "Prompt of 1-2,000 characters (`dall-e-2`: 1,000, its vendor's limit); no Tripo switches or Wonda `styleId`:", '');
  lines.push(ApiframeModelIds.map((id) => `\`${id}\``).join(', '));
  return lines;
}

/** Writes MODELS.md (the catalog as a newcomer reads it); with --check, fails when it is stale. */
function render(): string {
  const lines = [
    '# Models',
    '',
    'Generated from `src/catalog/` by `npm run docs:models`. The live list, with availability in your',
    'deployment, is the `models` query; `model(id)` accepts every id or alias below.',
    '',
    '| id | GraphQL field | vendor | aliases | routes (in order) |',
    '|---|---|---|---|---|',
  ];
  for (const model of models) {
    const aliases = model.aliases.map((alias) => `\`${alias}\``).join(', ');
    const routes = model.routes.map((route) => `${route.provider}: \`${route.upstreamModel}\``).join('<br>');
    lines.push(`| \`${model.id}\` | \`${modelFieldName(model.id)}\` | ${model.vendor} | ${aliases} | ${routes} |`);
  }
  for (const model of models) {
    lines.push('', `## ${model.name} (\`${model.id}\`)`, '', model.description, '');
    const { capabilities } = model;
    lines.push(
      `Capabilities: text-to-image ${capabilities.textToImage ? 'yes' : 'no'}; reference images up to ${capabilities.maxReferenceImages}` +
        `${capabilities.requiresInputImage ? ' (an input image is required)' : ''}; up to ${capabilities.maxN} per call; ` +
        `formats ${capabilities.outputFormats.join(', ')}; transparent background ${capabilities.transparentBackground ? 'yes' : 'no'}; ` +
        `seed ${capabilities.seed ? 'yes' : 'no'}; previews ${capabilities.streamingPreviews ? 'yes' : 'no'}.`,
      '',
      '| parameter | type | values / limits | default | description |',
      '|---|---|---|---|---|',
    );
    for (const parameter of describeParameters(model)) {
      const limits = parameter.allowedValues
        ? parameter.allowedValues.map((value) => `\`${value}\``).join(', ')
        : [
            parameter.min !== undefined ? `min ${parameter.min}` : '',
            parameter.max !== undefined ? `max ${parameter.max}` : '',
            parameter.minLength !== undefined ? `${parameter.minLength}-${parameter.maxLength ?? ''} chars` : parameter.maxLength !== undefined ? `up to ${parameter.maxLength} chars` : '',
          ]
            .filter(Boolean)
            .join(', ');
      const fallback = parameter.required ? 'required' : parameter.default === undefined ? '' : `\`${JSON.stringify(parameter.default)}\``;
      lines.push(`| \`${parameter.name}\` | ${parameter.type} | ${limits} | ${fallback} | ${(parameter.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
    }
    lines.push('', priceLine(model));
    const refused = Object.entries(model.refusedParams ?? {});
    if (refused.length) lines.push('', `Refused: ${refused.map(([name, reason]) => `\`${name}\` (${reason})`).join('; ')}.`);
    if (model.sources?.length) lines.push('', `Sources: ${model.sources.join(', ')}`);
  }
  lines.push(...serviceSection());
  lines.push('', '## Templates', '', '| slug | name | models | best with (Tripo) | reference images | description |', '|---|---|---|---|---|---|');
  for (const template of templates) {
    lines.push(`| \`${template.slug}\` | ${template.name} | ${template.models.join(', ')} | ${template.bestWith} | ${template.referenceImageUrls.length} | ${template.description} |`);
  }
  lines.push('', '## Styles (Wonda `styleId`)', '', '| id | name | prompt prefix |', '|---|---|---|');
  for (const style of styles) lines.push(`| \`${style.id}\` | ${style.name} | ${style.promptPrefix} |`);
  return `${lines.join('\n')}\n`;
}

const rendered = render();
if (process.argv.includes('--check')) {
  if ((fs.existsSync('MODELS.md') ? fs.readFileSync('MODELS.md', 'utf8') : '') !== rendered) {
    console.error('MODELS.md is out of date: run `npm run docs:models` and commit it.');
    process.exit(1);
  }
  console.log('MODELS.md is current');
} else {
  fs.writeFileSync('MODELS.md', rendered);
  console.log('wrote MODELS.md');
}
