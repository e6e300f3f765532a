// Lint rules every file in the repository follows (`npm run lint`, run by CI).
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Object types without an identity of their own: values inside another object, pages, results. */
const valueTypes = [
  'CreatedAccount',
  'CreatedApiKey',
  'CreatedWebhookEndpoint',
  'DisabledAccount',
  'JobUpdate',
  'JobUsage',
  'JobWebhook',
  'ModelCapabilities',
  'ModelParameter',
  'ModelRoute',
  'PageInfo',
  'PriceCase',
  'ProviderAttempt',
  'Template', // identified by its slug
  'UsagePeriod',
  'ValidationIssue',
  'Viewer', // the key in use: accountId and keyId
  'WebhookSecretRotation',
];

/**
 * The layers of src/, bottom first: a folder (or top-level file) may import from the layers below
 * its own and from inside itself, never from its own layer or above. `npm run lint` enforces it,
 * so "who may use whom" stays what README's folder map says.
 */
const layers = [
  ['errors', 'text', 'sleeper', 'provider-ids', 'db', 'client'],
  ['config', 'loop', 'net', 'catalog'],
  ['log', 'providers', 'storage'],
  ['accounts'],
  ['jobs', 'cli'],
  ['realtime'],
  ['webhooks'],
  ['services'],
  ['media', 'submission'],
  ['graphql', 'rest'],
  ['http'],
  ['main'],
];

/**
 * One config per unit of src/ and per folder depth (an import reaches another unit with exactly
 * as many `../` as the file is deep, `./` from a top-level file): imports that reach a unit of its
 * layer or above are errors.
 */
function layerRules() {
  return layers.flatMap((units, level) =>
    units.flatMap((unit) => {
      const above = layers
        .slice(level)
        .flat()
        .filter((other) => other !== unit);
      const message = `src/${unit} is in layer ${level + 1} of eslint.config.js; import only from the layers below it.`;
      const rule = (prefix) => ({
        'no-restricted-imports': ['error', { patterns: [{ regex: `^${prefix}(${above.join('|')})(/|\\.js$)`, message }] }],
      });
      const nested = [1, 2, 3, 4].map((depth) => ({
        files: [`src/${unit}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: rule('(\\.\\./)'.repeat(depth)),
      }));
      return [{ files: [`src/${unit}.ts`], rules: rule('\\./') }, ...nested];
    }),
  );
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'drizzle/', 'test/gql/', 'src/client/gql/', '.data/', 'coverage/'] },
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [...tseslint.configs.strict],
    rules: {
      // `any` is allowed at the edges where untyped JSON is parsed; tests use it for GraphQL bodies.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
    },
  },
  ...layerRules(),
  {
    // The printed schema, under graphql-eslint's schema-all rules.
    files: ['schema.graphql'],
    languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: 'schema.graphql' } } },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs['flat/schema-all'].rules,
      // Stricter than schema-all: every type, field, argument and enum value is described.
      '@graphql-eslint/require-description': ['error', { types: true, rootField: true, DirectiveDefinition: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true }],
      '@graphql-eslint/strict-id-in-types': ['error', { exceptions: { types: valueTypes, suffixes: ['Connection', 'Edge', 'Error', 'Success'] } }],
      // Public contract: mutations take their arguments by name (`cancelJob(id)`,
      // `grantCredits(accountId, amount)`); wrapping them all in `input` would break every client.
      '@graphql-eslint/input-name': 'off',
      // Public contract: root fields that always answer (`models`, `jobs`, `viewer`) are non-null;
      // making them nullable would make every typed client check for a null that never comes.
      '@graphql-eslint/require-nullable-result-in-root': 'off',
      // Public contract: `grantCredits` answers the new balance, `setAccountLimits` and
      // `deleteWebhookEndpoint` a Boolean; clients read those scalars.
      '@graphql-eslint/no-scalar-result-type-on-mutation': 'off',
      // The rule is for read-only schemas; Pictor's clients start jobs and watch them.
      '@graphql-eslint/no-root-type': 'off',
      // It wants a `deletionDate` argument that the standard @deprecated directive does not have;
      // README lists the deprecated names.
      '@graphql-eslint/require-deprecation-date': 'off',
    },
  },
);
