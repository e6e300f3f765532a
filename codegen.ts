import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed GraphQL documents for the tests and benchmarks: operations written with
 * `graphql(...)` from `test/gql` get typed results and variables, checked against
 * `schema.graphql` (itself printed from the code).
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', 'bench/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
      presetConfig: { fragmentMasking: false },
    },
  },
  // NodeNext module resolution needs explicit .js import paths in the generated files.
  emitLegacyCommonJSImports: false,
};

export default config;
