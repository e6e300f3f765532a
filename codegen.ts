import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', Seed: 'number' } };

/**
 * Typed GraphQL documents checked against `schema.graphql` (itself printed from the code):
 * - `test/gql`: operations written with `graphql(...)` in the tests and benchmarks;
 * - `src/client/gql`: the typed client's operations, as plain strings (no graphql-js in browsers);
 * - `src/client/possible-types.ts`: the union and interface members Apollo's cache needs.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      documents: ['test/**/*.ts', 'bench/**/*.ts', '!test/gql/**'],
      preset: 'client',
      config: typesConfig,
      presetConfig: { fragmentMasking: false },
    },
    'src/client/gql/': {
      documents: ['src/client/**/*.ts', '!src/client/gql/**'],
      preset: 'client',
      config: { ...typesConfig, documentMode: 'string' },
      presetConfig: { fragmentMasking: false },
    },
    'src/client/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
  // NodeNext module resolution needs explicit .js import paths in the generated files.
  emitLegacyCommonJSImports: false,
};

export default config;
