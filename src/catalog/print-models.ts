import fs from 'node:fs';
import { describeParameters } from './describe.js';
import { models } from './index.js';
import { modelFieldName } from './names.js';
import { templates } from './templates.js';

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
    if (model.sources?.length) lines.push('', `Sources: ${model.sources.join(', ')}`);
  }
  lines.push('', '## Templates', '', '| slug | name | models | description |', '|---|---|---|---|');
  for (const template of templates) lines.push(`| \`${template.slug}\` | ${template.name} | ${template.models.join(', ')} | ${template.description} |`);
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
