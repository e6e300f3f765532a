import { defineConfig } from 'vitest/config';
import { isConnectionLoss, isDriverConnectionFault } from './src/db/connection-loss.js';

/** The driver fault as it reaches the main process: serialized from the test worker (no longer a TypeError instance). */
function isSerializedDriverFault(error: unknown): boolean {
  const fields = error as { name?: unknown; stack?: unknown; stackStr?: unknown; stacks?: unknown } | null;
  if (fields?.name !== 'TypeError') return false;
  const where = `${String(fields.stack ?? '')}\n${String(fields.stackStr ?? '')}\n${JSON.stringify(fields.stacks ?? [])}`;
  return /postgres[\\/]src[\\/]connection\.js/.test(where);
}

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
    onUnhandledError: (error) => !isConnectionLoss(error) && !isDriverConnectionFault(error) && !isSerializedDriverFault(error),
  },
});
