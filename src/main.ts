import { isApiProcess, reportListening, superviseApiProcesses, type Supervisor } from './cluster.js';
import { loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { isConnectionLoss, isDriverConnectionFault } from './db/connection-loss.js';
import { createLog } from './log.js';

/** Entry point: parse config, build, start, and shut down cleanly on SIGINT/SIGTERM. */
const config = loadConfig();
const log = createLog(config.logLevel);
// API_PROCESSES > 1: this process supervises the API processes (cluster.ts) and serves nothing itself.
const supervises = config.apiProcesses > 1 && !isApiProcess();
const app = await buildApp(config, { log, serveApi: !supervises });
let supervisor: Supervisor | undefined;

let stopping: Promise<void> | undefined;
function shutdown(signal: string, exitCode = 0) {
  if (stopping) {
    log('warn', 'second signal: exiting now', { signal });
    process.exit(1);
  }
  log('info', 'shutting down', { signal, graceMs: config.worker.shutdownGraceMs });
  const apiProcessesStopped = supervisor?.stop() ?? Promise.resolve();
  stopping = apiProcessesStopped
    .then(() => app.stop())
    .then(
      () => process.exit(exitCode),
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
// An API process under a supervisor stops on its SIGTERM; the Ctrl-C that reaches the terminal's whole process group is the supervisor's to act on.
process.on('SIGINT', isApiProcess() ? () => undefined : () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  await app.start();
} catch (error) {
  log('error', 'start failed', { error: String(error) });
  await app.stop().catch(() => undefined);
  process.exit(1);
}
const banner = (url: string) => `\n  Pictor is serving GraphQL and GraphiQL at ${url}/graphql\n\n`;
if (supervises) {
  supervisor = superviseApiProcesses(config, app.databaseUrl, log);
  supervisor.ready.then(
    (url) => {
      log('info', 'API processes listening', { processes: config.apiProcesses, pids: supervisor!.pids() });
      process.stdout.write(banner(url));
    },
    (error: Error) => {
      log('error', 'start failed', { error: error.message });
      shutdown('start failed', 1);
    },
  );
} else if (isApiProcess()) reportListening(app.url);
else if (config.role !== 'worker') process.stdout.write(banner(app.url));
