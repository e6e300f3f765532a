import { parseArgs } from 'node:util';
import { createAccountWithKey, createApiKey } from '../accounts/api-keys.js';
import { loadConfig } from '../config.js';
import { connect, runMigrations } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { grantCredits } from '../jobs/credits.js';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  keys create [--credits <n>] [--account <id>] [--name <name>] [--scopes generate,read,admin] [--json]
      Create an API key; without --account a new account is created with <n> credits.
  credits grant --account <id> --credits <n> [--json]
      Add credits to an account.

Uses DATABASE_URL, or the embedded database under DATA_DIR (default ./.data).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      credits: { type: 'string' },
      account: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
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
  if (!Number.isSafeInteger(credits) || credits < 0) {
    process.stderr.write('--credits must be a non-negative integer\n');
    return 2;
  }
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const database = connect(config.databaseUrl ?? embedded!.url, { max: 2 });
  try {
    await runMigrations(database);
    if (command === 'keys create') {
      const scopes = values.scopes?.split(',').map((scope) => scope.trim()).filter(Boolean);
      const created = values.account
        ? await createApiKey(database.sql, values.account, { name: values.name, scopes })
        : await createAccountWithKey(database.sql, { name: values.name ?? 'account', credits, scopes });
      if (values.account && credits > 0) await grantCredits(database.sql, values.account, credits, 'cli grant');
      process.stdout.write(values.json ? `${JSON.stringify(created)}\n` : `account ${created.accountId}\nkey id  ${created.keyId}\nkey     ${created.key}\n(the key is shown only once)\n`);
    } else {
      if (!values.account) throw new Error('--account is required');
      const balance = await grantCredits(database.sql, values.account, credits, 'cli grant');
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
  return 1;
});
