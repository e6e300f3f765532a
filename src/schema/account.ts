import { GraphQLError } from 'graphql';
import { createApiKey, KeyRevokedChannel, listApiKeys, revokeApiKey, type ApiKeyRecord } from '../accounts/api-keys.js';
import { grantCredits } from '../jobs/credits.js';
import type { Context } from '../services.js';
import { builder } from './builder.js';
import { badUserInput, requireViewer } from './errors.js';
import { isUuid } from './job.js';
import { ViewerType } from './viewer.js';

export const Scopes = ['generate', 'read', 'admin'] as const;

const ScopeEnum = builder.enumType('ApiKeyScope', {
  values: {
    GENERATE: { value: 'generate', description: 'Start and cancel jobs.' },
    READ: { value: 'read', description: 'Read jobs, images and events.' },
    ADMIN: { value: 'admin', description: 'Manage keys; operators: grant credits, set limits, see providers.' },
  } as const,
});

const ApiKeyType = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key (the secret itself is shown only when created).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to recognise it.' }),
    scopes: t.field({ type: [ScopeEnum], resolve: (key) => key.scopes as ('generate' | 'read' | 'admin')[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKeyType = builder.objectRef<{ key: string; apiKey: ApiKeyRecord }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret: store it now, it is never shown again.' }),
    apiKey: t.field({ type: ApiKeyType, resolve: (created) => created.apiKey }),
  }),
});

interface LedgerEntry {
  id: number;
  jobId: string | null;
  kind: string;
  amount: number;
  note: string | null;
  createdAt: Date;
}

const LedgerEntryType = builder.objectRef<LedgerEntry>('LedgerEntry').implement({
  description: 'A credit movement. grant, hold and release change the balance by `amount`; capture records credits charged from a hold.',
  fields: (t) => ({
    id: t.id({ resolve: (entry) => String(entry.id) }),
    kind: t.exposeString('kind', { description: 'grant | hold | capture | release' }),
    amount: t.int({ description: 'Change of the spendable balance (captures: credits charged).', resolve: (entry) => (entry.kind === 'capture' ? Number(/\d+/.exec(entry.note ?? '')?.[0] ?? 0) : entry.amount) }),
    jobId: t.exposeID('jobId', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const LedgerPageType = builder.objectRef<{ entries: LedgerEntry[]; hasNextPage: boolean }>('LedgerPage').implement({
  fields: (t) => ({
    nodes: t.field({ type: [LedgerEntryType], resolve: (page) => page.entries }),
    endCursor: t.string({ nullable: true, resolve: (page) => (page.entries.length ? String(page.entries.at(-1)!.id) : null) }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
  }),
});

const UsageIntervalEnum = builder.enumType('UsageInterval', { values: { HOUR: { value: 'hour' }, DAY: { value: 'day' }, MONTH: { value: 'month' } } as const });

interface UsagePeriod {
  periodStart: Date;
  jobs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  images: number;
  credits: number;
}

const UsagePeriodType = builder.objectRef<UsagePeriod>('UsagePeriod').implement({
  fields: (t) => ({
    periodStart: t.expose('periodStart', { type: 'DateTime' }),
    jobs: t.exposeInt('jobs'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
    canceled: t.exposeInt('canceled'),
    images: t.exposeInt('images'),
    credits: t.exposeInt('credits', { description: 'Credits charged for jobs created in the period.' }),
  }),
});

builder.objectFields(ViewerType, (t) => ({
  apiKeys: t.field({
    type: [ApiKeyType],
    description: "The account's API keys, newest first (admin scope).",
    resolve: (viewer, _args, context) => {
      requireViewer(context, 'admin');
      return listApiKeys(context.services.database.sql, viewer.accountId);
    },
  }),
  ledger: t.field({
    type: LedgerPageType,
    description: 'Credit movements, newest first.',
    args: { first: t.arg.int({ defaultValue: 50, validate: { min: 1, max: 500 } }), after: t.arg.string() },
    resolve: async (viewer, args, context) => {
      const { sql } = context.services.database;
      const before = args.after ? Number(args.after) : null;
      if (before !== null && !Number.isSafeInteger(before)) throw badUserInput('after: not a cursor of this list', 'after');
      const first = args.first ?? 50;
      const rows = await sql<LedgerEntry[]>`
        select id, job_id, kind, amount, note, created_at from credit_entries
        where account_id = ${viewer.accountId} ${before !== null ? sql`and id < ${before}` : sql``}
        order by id desc limit ${first + 1}`;
      return { entries: rows.slice(0, first), hasNextPage: rows.length > first };
    },
  }),
  usage: t.field({
    type: [UsagePeriodType],
    description: 'Jobs, images and credits per period for jobs created between `from` and `to`.',
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime' }), interval: t.arg({ type: UsageIntervalEnum, defaultValue: 'day' }) },
    resolve: (viewer, args, context) => {
      const { sql } = context.services.database;
      const to = args.to ?? new Date();
      return sql<UsagePeriod[]>`
        select date_trunc(${args.interval ?? 'day'}, j.created_at) as period_start, count(*)::int as jobs,
          count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where status = 'FAILED')::int as failed,
          count(*) filter (where status = 'CANCELED')::int as canceled,
          coalesce(sum((select count(*) from images i where i.job_id = j.id and i.kind = 'output')), 0)::int as images,
          coalesce(sum(credits_charged), 0)::int as credits
        from jobs j
        where account_id = ${viewer.accountId} and created_at >= ${args.from} and created_at < ${to}
        group by 1 order by 1`;
    },
  }),
}));

async function notifyRevoked(context: Context, keyId: string): Promise<void> {
  await context.services.database.sql.notify(KeyRevokedChannel, keyId);
}

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKeyType,
    description: 'Creates a key for the viewer\'s account with at most the scopes of the key in use (admin scope).',
    args: { name: t.arg.string({ validate: { maxLength: 100 } }), scopes: t.arg({ type: [ScopeEnum], required: true }) },
    resolve: async (_root, args, context) => {
      const viewer = requireViewer(context, 'admin');
      const scopes = [...new Set(args.scopes)];
      if (scopes.length === 0) throw badUserInput('scopes: give at least one scope', 'scopes');
      const { sql } = context.services.database;
      const created = await createApiKey(sql, viewer.accountId, { name: args.name ?? '', scopes });
      const [apiKey] = (await listApiKeys(sql, viewer.accountId)).filter((key) => key.id === created.keyId);
      return { key: created.key, apiKey: apiKey! };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyType,
    nullable: true,
    description: 'Revokes one of the account\'s keys at once, closing its open WebSocket connections; null for unknown ids.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const viewer = requireViewer(context, 'admin');
      const id = String(args.id);
      if (!isUuid(id)) return null;
      const revoked = await revokeApiKey(context.services.database.sql, viewer.accountId, id);
      if (revoked) {
        context.services.authenticator.invalidate(revoked.id);
        await notifyRevoked(context, revoked.id);
      }
      return revoked ?? null;
    },
  }),
  grantCredits: t.int({
    description: 'Adds credits to any account and returns its new balance (operators: admin scope).',
    args: { accountId: t.arg.id({ required: true }), amount: t.arg.int({ required: true, validate: { min: 1 } }), note: t.arg.string() },
    resolve: async (_root, args, context) => {
      requireViewer(context, 'admin');
      const accountId = String(args.accountId);
      if (!isUuid(accountId)) throw badUserInput('accountId: unknown account', 'accountId');
      try {
        return await grantCredits(context.services.database.sql, accountId, args.amount, args.note ?? 'admin grant');
      } catch {
        throw new GraphQLError('accountId: unknown account', { extensions: { code: 'BAD_USER_INPUT', field: 'accountId' } });
      }
    },
  }),
  setAccountLimits: t.boolean({
    description: 'Sets an account\'s requests per minute per key and running-jobs limit (null restores the deployment default; operators: admin scope).',
    args: {
      accountId: t.arg.id({ required: true }),
      requestsPerMinute: t.arg.int({ validate: { min: 0 } }),
      maxRunningJobs: t.arg.int({ validate: { min: 1 } }),
    },
    resolve: async (_root, args, context) => {
      requireViewer(context, 'admin');
      const accountId = String(args.accountId);
      if (!isUuid(accountId)) throw badUserInput('accountId: unknown account', 'accountId');
      const rows = await context.services.database.sql`
        update accounts set requests_per_minute = ${args.requestsPerMinute ?? null}, max_running_jobs = ${args.maxRunningJobs ?? null}
        where id = ${accountId} returning id`;
      if (rows.length === 0) throw badUserInput('accountId: unknown account', 'accountId');
      return true;
    },
  }),
}));
