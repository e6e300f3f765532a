import { loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { isConnectionLoss, isDriverConnectionFault } from './db/connection-loss.js';
import { createLog } from './log.js';

/** Entry point: parse config, build, start, and shut down cleanly on SIGINT/SIGTERM. */
const config = loadConfig();
const log = createLog(config.logLevel);
const app = await buildApp(config, { log });

let stopping: Promise<void> | undefined;
function shutdown(signal: string) {
  if (stopping) {
    log('warn', 'second signal: exiting now', { signal });
    process.exit(1);
  }
  log('info', 'shutting down', { signal, graceMs: config.worker.shutdownGraceMs });
  stopping = app.stop().then(
    () => process.exit(0),
    (error) => {
      log('error', 'shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
}
process.on('unhandledRejection', (error) => {
  // A database outage is handled where queries fail; a stray driver rejection must not crash us.
  if (isConnectionLoss(error)) return log('warn', 'database connection lost', { error: String(error) });
  log('error', 'unhandled rejection', { error: String(error) });
  process.exit(1);
});
process.on('uncaughtException', (error) => {
  if (isDriverConnectionFault(error)) return log('warn', 'database connection lost', { error: String(error) });
  log('error', 'uncaught exception', { error: String(error), stack: error.stack });
  process.exit(1);
});
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  await app.start();
} catch (error) {
  log('error', 'start failed', { error: String(error) });
  await app.stop().catch(() => undefined);
  process.exit(1);
}
if (config.role !== 'worker') process.stdout.write(`\n  Pictor is serving GraphQL and GraphiQL at ${app.url}/graphql\n\n`);
