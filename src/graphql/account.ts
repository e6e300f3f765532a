import { announceKeyRevoked, createApiKey, listApiKeys, revokeApiKey, TenantScopes, type ApiKeyRecord, type TenantScope } from '../accounts/api-keys.js';
import { ledgerPage, type LedgerEntry } from '../accounts/ledger.js';
import { accountUsage, type UsagePeriod } from '../accounts/usage.js';
import { forbidden, viewerOf } from './auth-scopes.js';
import type { ArgBuilder } from '@pothos/core';
import { builder, type PictorSchemaTypes } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { connectionType, pageOf } from './connection.js';
import { badUserInput } from './errors.js';
import { addQueryField } from './mutation-result.js';
import { isUuid } from './job.js';
import { ViewerType } from './viewer.js';

export const ScopeEnum = builder.enumType('ApiKeyScope', {
  description: 'What a tenant API key may do.',
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
    id: t.exposeID('id', { description: 'The key id (a UUID).' }),
    name: t.exposeString('name', { description: 'A name to recognise it by.' }),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to recognise it.' }),
    scopes: t.field({
      type: [ScopeEnum],
      description: 'What the key may do.',
      resolve: (key) => key.scopes.filter((scope): scope is TenantScope => (TenantScopes as readonly string[]).includes(scope)),
    }),
    operator: t.exposeBoolean('operator', { description: 'An operator key (made with the CLI): may act on every account.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When it last authenticated a request (updated at most once a minute).' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works.' }),
  }),
});

export const CreatedApiKeyType = builder.objectRef<{ key: string; apiKey: ApiKeyRecord }>('CreatedApiKey').implement({
  description: 'A new API key with its secret.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret: store it now, it is never shown again.' }),
    apiKey: t.field({ type: ApiKeyType, description: 'The key as listed from now on.', resolve: (created) => created.apiKey }),
  }),
});

const LedgerEntryType = builder.objectRef<LedgerEntry>('LedgerEntry').implement({
  description: 'A credit movement. grant, hold and release change the balance by `amount`; capture records credits charged from a hold.',
  fields: (t) => ({
    id: t.id({ description: 'The movement id (ascending with time).', resolve: (entry) => String(entry.id) }),
    kind: t.exposeString('kind', { description: 'grant | hold | capture | release' }),
    amount: t.int({
      description: 'Change of the spendable balance (captures: credits charged).',
      resolve: (entry) => (entry.kind === 'capture' ? Number(/\d+/.exec(entry.note ?? '')?.[0] ?? 0) : entry.amount),
    }),
    jobId: t.exposeID('jobId', { nullable: true, description: 'The job the credits were held for or charged by.' }),
    note: t.exposeString('note', { nullable: true, description: 'Why: the grant note, or what was charged.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

const LedgerEntryConnectionType = connectionType('LedgerEntry', LedgerEntryType, 'A page of credit movements, newest first.');

export const UsageIntervalEnum = builder.enumType('UsageInterval', {
  description: 'The length of the periods usage is summed over (UTC).',
  values: { HOUR: { value: 'hour', description: 'Per hour.' }, DAY: { value: 'day', description: 'Per day.' }, MONTH: { value: 'month', description: 'Per calendar month.' } } as const,
});

export const UsagePeriodType = builder.objectRef<UsagePeriod>('UsagePeriod').implement({
  description: 'Usage of one period, for jobs created in it.',
  fields: (t) => ({
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'Start of the period (UTC).' }),
    jobs: t.exposeInt('jobs', { description: 'Jobs created.' }),
    succeeded: t.exposeInt('succeeded', { description: 'Of those, SUCCEEDED.' }),
    failed: t.exposeInt('failed', { description: 'Of those, FAILED.' }),
    canceled: t.exposeInt('canceled', { description: 'Of those, CANCELED.' }),
    images: t.exposeInt('images', { description: 'Output images made.' }),
    credits: t.exposeInt('credits', { description: 'Credits charged for jobs created in the period.' }),
  }),
});

/** The arguments of `usage`, on the viewer and on accounts. */
export function usageArguments(arg: ArgBuilder<PictorSchemaTypes>) {
  return {
    from: arg({ type: 'DateTime', required: true, description: 'Jobs created at or after this instant.' }),
    to: arg({ type: 'DateTime', description: 'Jobs created before this instant; omitted: now.' }),
    interval: arg({ type: UsageIntervalEnum, defaultValue: 'day', description: 'The length of each period.' }),
  };
}

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
    args: {
      first: t.arg.int({ defaultValue: 50, description: 'Page size (1-500).', validate: { min: 1, max: 500 } }),
      after: t.arg.string({ description: 'Continue after this cursor (`pageInfo.endCursor` of the previous page).' }),
    },
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
    args: usageArguments(t.arg),
    resolve: (viewer, args, context) => accountUsage(context.services.database.sql, viewer.accountId, { from: args.from, to: args.to ?? new Date(), interval: args.interval ?? 'day' }),
  }),
}));

addQueryField(CreatedApiKeyType);
addQueryField(ApiKeyType);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    authScopes: { admin: true },
    type: CreatedApiKeyType,
    description: "Creates a key for the viewer's account with at most the scopes of the key in use (admin scope).",
    args: {
      name: t.arg.string({ description: 'A name to recognise it by.', validate: { maxLength: 100 } }),
      scopes: t.arg({ type: [ScopeEnum], required: true, description: 'What it may do: at most what the key in use may.' }),
    },
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
    description: "Revokes one of the account's keys at once, closing its open WebSocket connections; null for unknown ids.",
    args: { id: t.arg.id({ required: true, description: 'The key id.' }) },
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
