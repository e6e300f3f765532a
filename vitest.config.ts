import { defineConfig } from 'vitest/config';

export default defineConfig({
  // vitest would otherwise load graphql twice (ESM for our files, CJS for yoga/pothos) and our own
  // GraphQLErrors would be masked as "Unexpected error.".
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
