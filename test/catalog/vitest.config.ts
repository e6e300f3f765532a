import { defineConfig } from 'vitest/config';

/**
 * Runs the catalog's pure tests without the project's global setup (which starts PostgreSQL):
 * `npx vitest run --config test/catalog/vitest.config.ts`.
 */
export default defineConfig({
  // Same graphql alias as the main config, so importing catalog code never loads graphql twice.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/catalog/**/*.test.ts'],
  },
});
