import { unstorableTextReason } from '../text.js';
import { createAccount, disableAccount, findAccount, listAccounts, setAccountLimits, type AccountRecord } from '../accounts/accounts.js';
import { listApiKeys, TenantScopes } from '../accounts/api-keys.js';
import { accountUsage } from '../accounts/usage.js';
import { grantCredits, MAX_BALANCE, noteProblem } from '../accounts/credits.js';
import { ApiKeyType, ScopeEnum, usageArguments, UsagePeriodType } from './account.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { connectionType, pageOf } from './connection.js';
import { badUserInput } from './errors.js';
import { addQueryField } from './mutation-result.js';
import { isUuid } from './job.js';
import { cancelUnfinishedJobs } from '../jobs/cancel.js';

/**
 * The operator API: what runs the deployment rather than one tenant's work. Every field here
 * needs an operator key (`npm run cli -- keys create --operator`); tenant keys get FORBIDDEN.
 */

export const AccountType = builder.objectRef<AccountRecord>('Account').implement({
  description: 'A tenant account (operators only).',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The account id (a UUID).' }),
    name: t.exposeString('name', { description: 'A name to recognise it by.' }),
    balance: t.exposeInt('balance', { description: 'Spendable credits (holds of unfinished jobs already subtracted).' }),
    requestsPerMinute: t.exposeInt('requestsPerMinute', { nullable: true, description: 'Per key; null uses the deployment default.' }),
    maxRunningJobs: t.exposeInt('maxRunningJobs', { nullable: true, description: 'Null uses the deployment default.' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'Set when an operator disabled the account: its keys no longer work.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    usage: t.field({
      type: [UsagePeriodType],
      description: 'Jobs, images and credits per period for jobs created between `from` and `to`.',
      args: usageArguments(t.arg),
      resolve: (account, args, context) => accountUsage(context.services.database.sql, account.id, { from: args.from, to: args.to ?? new Date(), interval: args.interval ?? 'day' }),
    }),
    apiKeys: t.field({
      type: [ApiKeyType],
      description: "The account's keys, newest first (secrets are never shown).",
      resolve: (account, _args, context) => listApiKeys(context.services.database.sql, account.id),
    }),
  }),
});

const AccountConnectionType = connectionType('Account', AccountType, 'A page of accounts, oldest first.');

const CreatedAccountType = builder.objectRef<Awaited<ReturnType<typeof createAccount>>>('CreatedAccount').implement({
  description: 'A new account with its first key.',
  fields: (t) => ({
    account: t.field({ type: AccountType, description: 'The account.', resolve: (created) => created.account }),
    key: t.string({ description: "The first key's secret: hand it to the tenant now, it is never shown again.", resolve: (created) => created.created.key }),
    keyId: t.id({ description: "The first key's id.", resolve: (created) => created.created.keyId }),
  }),
});

const DisabledAccountType = builder.objectRef<{ account: AccountRecord; canceledJobs: number }>('DisabledAccount').implement({
  description: 'A disabled account and what stopped with it.',
  fields: (t) => ({
    account: t.field({ type: AccountType, description: 'The account, now disabled.', resolve: (result) => result.account }),
    canceledJobs: t.exposeInt('canceledJobs', { description: 'Unfinished jobs canceled (queued ones refunded at once, running ones when their worker stops them).' }),
  }),
});

function accountIdArgument(value: string | number): string {
  const accountId = String(value);
  if (!isUuid(accountId)) throw badUserInput('accountId: unknown account', 'accountId');
  return accountId;
}

builder.queryFields((t) => ({
  accounts: t.field({
    authScopes: { operator: true },
    type: AccountConnectionType,
    description: 'Every account, oldest first, with balance and usage (operators only).',
    args: {
      first: t.arg.int({ defaultValue: 50, description: 'Page size (1-500).', validate: { min: 1, max: 500 } }),
      after: t.arg.string({ description: 'Continue after this cursor (`pageInfo.endCursor` of the previous page).' }),
    },
    resolve: async (_root, args, context) => {
      const { sql } = context.services.database;
      if (args.after != null && !(isUuid(args.after) && (await findAccount(sql, args.after)))) throw badUserInput('after: not a cursor of this list', 'after');
      const page = await listAccounts(sql, { first: args.first ?? 50, after: args.after ?? undefined });
      return pageOf(page.accounts, page.hasNextPage, args.after, (account) => account.id);
    },
  }),
}));

addQueryField(CreatedAccountType);
addQueryField(DisabledAccountType);

builder.mutationFields((t) => ({
  createAccount: t.field({
    authScopes: { operator: true },
    type: CreatedAccountType,
    description: 'Creates a tenant account with optional starting credits and its first (tenant) key (operators only).',
    args: {
      name: t.arg.string({ required: true, description: 'A name to recognise it by (1-200 characters).', validate: { minLength: 1, maxLength: 200 } }),
      credits: t.arg.int({ defaultValue: 0, description: 'Starting credits.', validate: { min: 0 } }),
      scopes: t.arg({ type: [ScopeEnum], description: `Scopes of the first key; omitted: ${TenantScopes.join(', ')}.` }),
    },
    resolve: async (_root, args, context) => {
      const unstorable = unstorableTextReason(args.name);
      if (unstorable) throw badUserInput(`name: ${unstorable}`, 'name');
      const scopes = [...new Set(args.scopes ?? TenantScopes)];
      if (scopes.length === 0) throw badUserInput('scopes: give at least one scope', 'scopes');
      return createAccount(context.services.database.sql, { name: args.name, credits: args.credits ?? 0, scopes });
    },
  }),
  grantCredits: t.int({
    authScopes: { operator: true },
    description: 'Adds credits to an account and returns its new balance; the balance and its ledger row change together (operators only).',
    args: {
      accountId: t.arg.id({ required: true, description: 'The account id.' }),
      amount: t.arg.int({ required: true, description: 'Credits to add (at least 1).', validate: { min: 1 } }),
      note: t.arg.string({ description: 'Why, kept in the ledger; omitted: "operator grant".' }),
    },
    resolve: async (_root, args, context) => {
      const accountId = accountIdArgument(args.accountId);
      const note = args.note ?? 'operator grant';
      const problem = noteProblem(note);
      if (problem) throw badUserInput(`note: ${problem}`, 'note');
      const result = await grantCredits(context.services.database.sql, accountId, args.amount, note);
      switch (result.kind) {
        case 'granted':
          return result.balance;
        case 'unknown-account':
          throw badUserInput('accountId: unknown account', 'accountId');
        case 'balance-overflow':
          throw badUserInput(`amount: the balance would pass ${MAX_BALANCE}`, 'amount');
        case 'invalid-note':
          throw badUserInput(`note: ${result.message}`, 'note');
        default:
          return assertNever(result);
      }
    },
  }),
  setAccountLimits: t.boolean({
    authScopes: { operator: true },
    description: "Sets an account's requests per minute per key and running-jobs limit; null restores the deployment default (operators only).",
    args: {
      accountId: t.arg.id({ required: true, description: 'The account id.' }),
      requestsPerMinute: t.arg.int({ description: 'Requests per minute per key; null: the deployment default.', validate: { min: 0 } }),
      maxRunningJobs: t.arg.int({ description: 'Jobs running at once; null: the deployment default.', validate: { min: 1 } }),
    },
    resolve: async (_root, args, context) => {
      const accountId = accountIdArgument(args.accountId);
      const account = await setAccountLimits(context.services.database.sql, accountId, { requestsPerMinute: args.requestsPerMinute ?? null, maxRunningJobs: args.maxRunningJobs ?? null });
      if (!account) throw badUserInput('accountId: unknown account', 'accountId');
      return true;
    },
  }),
  disableAccount: t.field({
    authScopes: { operator: true },
    type: DisabledAccountType,
    description: 'Disables an account: its keys stop working at once (open WebSockets closed), its queued jobs are canceled and refunded, running ones aborted (operators only).',
    args: { accountId: t.arg.id({ required: true, description: 'The account id.' }) },
    resolve: async (_root, args, context) => {
      const accountId = accountIdArgument(args.accountId);
      if (accountId === context.viewer?.accountId) throw badUserInput('accountId: cannot disable the account of the key in use', 'accountId');
      const { sql } = context.services.database;
      const disabled = await disableAccount(sql, accountId);
      if (!disabled) throw badUserInput('accountId: unknown account', 'accountId');
      for (const keyId of disabled.keyIds) context.services.authenticator.invalidate(keyId);
      return { account: disabled.account, canceledJobs: await cancelUnfinishedJobs(sql, accountId) };
    },
  }),
}));

function assertNever(value: never): never {
  throw new Error(`unexpected grant result ${JSON.stringify(value)}`);
}
