import { parseArgs } from 'node:util';
import { createAccountWithKey, createApiKey, TenantScopes } from '../accounts/api-keys.js';
import { loadConfig } from '../config.js';
import { connect, runMigrations } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { grantCredits, noteProblem } from '../accounts/credits.js';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  keys create [--credits <n>] [--account <id>] [--name <name>] [--scopes generate,read,admin] [--operator] [--json]
      Create an API key; without --account a new account is created with <n> credits.
      --operator makes an operator key (creates accounts, grants credits, sets limits, sees providers).
  credits grant --account <id> --credits <n> [--note <text>] [--json]
      Add credits to an account.

Uses DATABASE_URL, or the embedded database under DATA_DIR (default ./.data); a server already
running on that DATA_DIR keeps running, the CLI connects to its database.`;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A problem the user can fix: printed without a stack, exit code 2. */
class UsageError extends Error {}

function parseScopes(value: string | undefined, operator: boolean): string[] | undefined {
  if (value === undefined) return operator ? [...TenantScopes] : undefined;
  const scopes = [
    ...new Set(
      value
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((scope) => !(TenantScopes as readonly string[]).includes(scope));
  if (unknown.length > 0 || scopes.length === 0) throw new UsageError(`--scopes: use a comma-separated list of ${TenantScopes.join(', ')}`);
  return scopes;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      credits: { type: 'string' },
      account: { type: 'string' },
      name: { type: 'string' },
      note: { type: 'string' },
      scopes: { type: 'string' },
      operator: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !['keys create', 'credits grant'].includes(command)) {
    process.stderr.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const credits = values.credits === undefined ? 0 : Number(values.credits);
  if (!Number.isSafeInteger(credits) || credits < 0) throw new UsageError('--credits must be a non-negative integer');
  if (values.account !== undefined && !uuidPattern.test(values.account)) throw new UsageError('--account must be an account id (a UUID)');
  const note = values.note ?? 'cli grant';
  const problem = noteProblem(note);
  if (problem) throw new UsageError(`--note ${problem}`);
  const scopes = parseScopes(values.scopes, values.operator);
  if (command === 'credits grant' && (!values.account || credits < 1)) throw new UsageError('credits grant needs --account <id> and --credits <n> (at least 1)');

  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const database = connect(config.databaseUrl ?? embedded!.url, { max: 2 });
  try {
    await runMigrations(database);
    const grant = async (accountId: string) => {
      const result = await grantCredits(database.sql, accountId, credits, note);
      if (result.kind !== 'granted') throw new UsageError(result.kind === 'unknown-account' ? `--account: no account ${accountId}` : `--credits: ${result.kind}`);
      return result.balance;
    };
    if (command === 'keys create') {
      const keyOptions = { name: values.name, scopes, operator: values.operator };
      const created = values.account
        ? await createApiKey(database.sql, values.account, keyOptions).catch((error: unknown) => {
            throw /foreign key/.test(String(error)) ? new UsageError(`--account: no account ${values.account}`) : error;
          })
        : await createAccountWithKey(database.sql, { ...keyOptions, name: values.name ?? 'account', credits });
      if (values.account && credits > 0) await grant(values.account);
      process.stdout.write(values.json ? `${JSON.stringify(created)}\n` : `account ${created.accountId}\nkey id  ${created.keyId}\nkey     ${created.key}\n(the key is shown only once)\n`);
    } else {
      const balance = await grant(values.account!);
      process.stdout.write(values.json ? `${JSON.stringify({ accountId: values.account, balance })}\n` : `balance ${balance}\n`);
    }
    return 0;
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return error instanceof UsageError ? 2 : 1;
});
