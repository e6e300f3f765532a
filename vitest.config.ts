import { defineConfig } from 'vitest/config';
import { isConnectionLoss, isDriverConnectionFault } from './src/db/connection-loss.js';

export default defineConfig({
  // vitest would otherwise load graphql twice (ESM for our files, CJS for yoga/pothos) and our own
  // GraphQLErrors would be masked as "Unexpected error.".
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    // Fails a test file that leaves servers, connections, child processes or timers open.
    setupFiles: ['./test/support/leak-check.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // Tests that kill or restart PostgreSQL can trip a stray driver rejection or a write on its
    // closed socket from a timer (postgres.js 3.4); src/main.ts rides both out too. Anything else fails the run.
    onUnhandledError: (error) => !isConnectionLoss(error) && !isDriverConnectionFault(error),
  },
});
