import { announceKeyRevoked, createApiKey, listApiKeys, revokeApiKey, TenantScopes, type ApiKeyRecord, type TenantScope } from '../accounts/api-keys.js';
import { ledgerPage, type LedgerEntry } from '../accounts/ledger.js';
import { accountUsage, type UsagePeriod } from '../accounts/usage.js';
import { forbidden, viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { connectionType, pageOf } from './connection.js';
import { badUserInput } from './errors.js';
import { isUuid } from './job.js';
import { ViewerType } from './viewer.js';

export const ScopeEnum = builder.enumType('ApiKeyScope', {
  values: {
    GENERATE: { value: 'generate', description: 'Start and cancel jobs, upload and import media, replay webhooks.' },
    READ: { value: 'read', description: 'Read jobs, images, media, events and webhook endpoints.' },
    ADMIN: { value: 'admin', description: "Manage the own account's API keys and webhooks (nothing beyond the account)." },
  } as const satisfies Record<string, { value: TenantScope; description: string }>,
});

export const ApiKeyType = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key (the secret itself is shown only when created).',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to recognise it.' }),
    scopes: t.field({ type: [ScopeEnum], resolve: (key) => key.scopes.filter((scope): scope is TenantScope => (TenantScopes as readonly string[]).includes(scope)) }),
    operator: t.exposeBoolean('operator', { description: 'An operator key (made with the CLI): may act on every account.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const CreatedApiKeyType = builder.objectRef<{ key: string; apiKey: ApiKeyRecord }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret: store it now, it is never shown again.' }),
    apiKey: t.field({ type: ApiKeyType, resolve: (created) => created.apiKey }),
  }),
});

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

const LedgerEntryConnectionType = connectionType('LedgerEntry', LedgerEntryType, 'A page of credit movements, newest first.');

export const UsageIntervalEnum = builder.enumType('UsageInterval', { values: { HOUR: { value: 'hour' }, DAY: { value: 'day' }, MONTH: { value: 'month' } } as const });

export const UsagePeriodType = builder.objectRef<UsagePeriod>('UsagePeriod').implement({
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
    authScopes: { admin: true },
    type: [ApiKeyType],
    description: "The account's API keys, newest first (admin scope).",
    resolve: (viewer, _args, context) => {
      return listApiKeys(context.services.database.sql, viewer.accountId);
    },
  }),
  ledger: t.field({
    type: LedgerEntryConnectionType,
    description: 'Credit movements, newest first.',
    args: { first: t.arg.int({ defaultValue: 50, validate: { min: 1, max: 500 } }), after: t.arg.string() },
    resolve: async (viewer, args, context) => {
      const before = args.after ? Number(args.after) : null;
      if (before !== null && !Number.isSafeInteger(before)) throw badUserInput('after: not a cursor of this list', 'after');
      const page = await ledgerPage(context.services.database.sql, viewer.accountId, { first: args.first ?? 50, beforeId: before });
      return pageOf(page.entries, page.hasNextPage, args.after, (entry) => String(entry.id));
    },
  }),
  usage: t.field({
    type: [UsagePeriodType],
    description: 'Jobs, images and credits per period for jobs created between `from` and `to`.',
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime' }), interval: t.arg({ type: UsageIntervalEnum, defaultValue: 'day' }) },
    resolve: (viewer, args, context) => accountUsage(context.services.database.sql, viewer.accountId, { from: args.from, to: args.to ?? new Date(), interval: args.interval ?? 'day' }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    authScopes: { admin: true },
    type: CreatedApiKeyType,
    description: 'Creates a key for the viewer\'s account with at most the scopes of the key in use (admin scope).',
    args: { name: t.arg.string({ validate: { maxLength: 100 } }), scopes: t.arg({ type: [ScopeEnum], required: true }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const scopes = [...new Set(args.scopes)];
      if (scopes.length === 0) throw badUserInput('scopes: give at least one scope', 'scopes');
      // The ceiling: a key can hand out only what it holds itself, and never operator rights.
      const beyond = scopes.filter((scope) => !viewer.scopes.includes(scope));
      if (beyond.length > 0) throw forbidden(`scopes: this API key cannot grant "${beyond.join('", "')}", which it does not hold itself`);
      const { sql } = context.services.database;
      const created = await createApiKey(sql, viewer.accountId, { name: args.name ?? '', scopes });
      const [apiKey] = (await listApiKeys(sql, viewer.accountId)).filter((key) => key.id === created.keyId);
      return { key: created.key, apiKey: apiKey! };
    },
  }),
  revokeApiKey: t.field({
    authScopes: { admin: true },
    type: ApiKeyType,
    nullable: true,
    description: 'Revokes one of the account\'s keys at once, closing its open WebSocket connections; null for unknown ids.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      if (!isUuid(id)) return null;
      const revoked = await revokeApiKey(context.services.database.sql, viewer.accountId, id);
      if (revoked) {
        context.services.authenticator.invalidate(revoked.id);
        await announceKeyRevoked(context.services.database.sql, revoked.id);
      }
      return revoked ?? null;
    },
  }),
}));
