import { afterAll, beforeAll } from 'vitest';
import { stillOpen } from './open-resources.js';

/**
 * Fails a test file that leaves something open, as graphile-worker's test helpers do: every
 * server, database connection, child process and timer a file opens must be closed by its end.
 * Two checks, both against what was open when the file started:
 * - what the shared helpers opened (test apps, fake upstreams, database connections), by name;
 * - Node's own list of resources that keep the process alive (listening servers, sockets and
 *   pipes, child processes, timers that are not unref'ed), by kind.
 * Sockets and child processes finish closing a moment after `close()` resolves, so the check
 * waits for the counts to settle before it judges.
 */

/** Resource kinds (`process.getActiveResourcesInfo()`) that a finished test file must not add. */
const Watched: Record<string, string> = {
  TCPServerWrap: 'listening TCP server',
  TCPSocketWrap: 'TCP connection',
  PipeServerWrap: 'listening unix socket',
  PipeWrap: 'unix socket or pipe connection (a database connection, a child process stdio)',
  ProcessWrap: 'child process',
  Timeout: "timer (setTimeout/setInterval not cleared or unref'ed)",
};
// Generous: on a loaded machine a closed socket can take seconds to leave the list; a real leak never does.
const SETTLE_MS = 15_000;

function counts(): Map<string, number> {
  const result = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (kind in Watched) result.set(kind, (result.get(kind) ?? 0) + 1);
  return result;
}

function added(baseline: Map<string, number>): string[] {
  const now = counts();
  return [...now].filter(([kind, count]) => count > (baseline.get(kind) ?? 0)).map(([kind, count]) => `${count - (baseline.get(kind) ?? 0)} more ${Watched[kind]} than at the start (${kind})`);
}

let baseline = new Map<string, number>();

beforeAll(() => {
  baseline = counts();
});

afterAll(async () => {
  const deadline = Date.now() + SETTLE_MS;
  let leaked = added(baseline);
  let named = stillOpen();
  while ((leaked.length > 0 || named.length > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50).unref());
    leaked = added(baseline);
    named = stillOpen();
  }
  if (process.env.LEAK_CHECK_DEBUG) console.log('leak check', { baseline: Object.fromEntries(baseline), now: Object.fromEntries(counts()), leaked, named });
  if (leaked.length > 0 || named.length > 0) {
    throw new Error(`This test file left open what it opened:\n${[...named.map((what) => `- ${what}`), ...leaked.map((what) => `- ${what}`)].join('\n')}`);
  }
});
