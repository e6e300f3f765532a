import { defineConfig } from 'vitest/config';
import { isConnectionLoss } from './src/db/connection-loss.js';

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
    // Tests that kill or restart PostgreSQL can trip a stray driver rejection; src/main.ts rides it out too.
    onUnhandledError: (error) => !isConnectionLoss(error),
  },
});
