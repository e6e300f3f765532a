import { hash, randomBytes } from 'node:crypto';
import type { Sql, SqlLike } from '../db/client.js';

/** The authenticated caller. */
export interface Viewer {
  readonly accountId: string;
  readonly keyId: string;
  readonly scopes: readonly string[];
  /** An operator key: may act on every account (create, grant credits, set limits, disable, see providers). */
  readonly operator: boolean;
  /** The account's own per-minute request limit (null: the deployment default), as of the key lookup. */
  readonly requestsPerMinute?: number | null;
}

/** What a tenant key may do: `generate` (start and cancel jobs, media), `read`, `admin` (the own account's keys and webhooks). */
export const TenantScopes = ['generate', 'read', 'admin'] as const;
export type TenantScope = (typeof TenantScopes)[number];

export const DefaultScopes = ['generate', 'read'] as const;

export function hashApiKey(key: string): string {
  return hash('sha256', key);
}

export interface CreatedKey {
  accountId: string;
  keyId: string;
  /** The secret; shown once, only its hash is stored. */
  key: string;
}

export interface KeyOptions {
  name?: string;
  scopes?: readonly string[];
  /**
   * An operator key (runs the deployment). Only trusted callers set it: the CLI and the
   * development set-up; no GraphQL operation does.
   */
  operator?: boolean;
}

/** Creates an API key for an account. */
export async function createApiKey(sql: SqlLike, accountId: string, options: KeyOptions = {}): Promise<CreatedKey> {
  const key = `pk_${randomBytes(24).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into api_keys (account_id, name, prefix, hash, scopes, operator)
    values (${accountId}, ${options.name ?? ''}, ${key.slice(0, 10)}, ${hashApiKey(key)}, ${[...(options.scopes ?? DefaultScopes)]}, ${options.operator ?? false})
    returning id`;
  return { accountId, keyId: row!.id, key };
}

/**
 * Creates an account with `credits` (balance and its ledger row in one statement) and a first key,
 * all in one transaction.
 */
export async function createAccountWithKey(sql: Sql, options: { name: string; credits: number } & KeyOptions): Promise<CreatedKey> {
  return sql.begin(async (transaction) => {
    const accountId = await insertAccount(transaction, options.name, options.credits);
    return createApiKey(transaction, accountId, { name: 'default', scopes: options.scopes, operator: options.operator });
  });
}

/** Inserts an account holding `credits`, with the matching ledger row in the same statement. */
export async function insertAccount(sql: SqlLike, name: string, credits: number): Promise<string> {
  const [account] = await sql<{ id: string }[]>`
    with account as (insert into accounts (name, balance) values (${name}, ${credits}) returning id),
    entry as (
      insert into credit_entries (account_id, kind, amount, note)
      select id, 'grant', ${credits}, 'initial grant' from account where ${credits}::bigint > 0
    )
    select id from account`;
  return account!.id;
}

/**
 * Resolves `Authorization: Bearer <key>` (or the bare key) to the viewer; undefined when the key
 * is unknown or revoked, or its account is disabled. Marks the key used at most once a minute.
 */
export async function authenticate(sql: SqlLike, authorization: string | null | undefined): Promise<Viewer | undefined> {
  const key = authorization?.replace(/^Bearer\s+/i, '').trim();
  if (!key) return undefined;
  const [row] = await sql<{ id: string; accountId: string; scopes: string[]; operator: boolean; requestsPerMinute: number | null; stale: boolean }[]>`
    select k.id, k.account_id, k.scopes, k.operator, a.requests_per_minute, (k.last_used_at is null or k.last_used_at < now() - interval '1 minute') as stale
    from api_keys k join accounts a on a.id = k.account_id
    where k.hash = ${hashApiKey(key)} and k.revoked_at is null and a.disabled_at is null`;
  if (!row) return undefined;
  if (row.stale) void Promise.resolve(sql`update api_keys set last_used_at = now() where id = ${row.id}`).catch(() => undefined);
  return { accountId: row.accountId, keyId: row.id, scopes: row.scopes, operator: row.operator, requestsPerMinute: row.requestsPerMinute };
}

/** LISTEN/NOTIFY channel announcing a revoked key id, so every API process drops its sockets. */
export const KeyRevokedChannel = 'pictor_key_revoked';

/** Tells every API process that a key is revoked (they end its open streams). */
export async function announceKeyRevoked(sql: SqlLike, keyId: string): Promise<void> {
  await sql.notify(KeyRevokedChannel, keyId);
}

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  name: string;
  prefix: string;
  scopes: string[];
  operator: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listApiKeys(sql: SqlLike, accountId: string): Promise<ApiKeyRecord[]> {
  return sql<ApiKeyRecord[]>`
    select id, account_id, name, prefix, scopes, operator, created_at, last_used_at, revoked_at
    from api_keys where account_id = ${accountId} order by created_at desc`;
}

/** Those of the (uuid) ids that name keys of the account, or of any account when `accountId` is null. */
export async function findApiKeys(sql: SqlLike, ids: readonly string[], accountId: string | null): Promise<ApiKeyRecord[]> {
  if (ids.length === 0) return [];
  return sql<ApiKeyRecord[]>`
    select id, account_id, name, prefix, scopes, operator, created_at, last_used_at, revoked_at
    from api_keys where id = any(${[...ids]}::uuid[]) ${accountId === null ? sql`` : sql`and account_id = ${accountId}`}`;
}

/** Revokes one of the account's keys; undefined when it has no such key. Sockets are closed by the caller's NOTIFY. */
export async function revokeApiKey(sql: SqlLike, accountId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
  const [key] = await sql<ApiKeyRecord[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now())
    where id = ${keyId} and account_id = ${accountId}
    returning id, account_id, name, prefix, scopes, operator, created_at, last_used_at, revoked_at`;
  return key;
}

/**
 * Key lookups with a short in-process cache: most requests skip the database. Revocation drops
 * the entry at once in the revoking process and, through `KeyRevokedChannel`, in every other one;
 * the TTL bounds staleness should a notification be missed.
 */
export class Authenticator {
  private readonly cache = new Map<string, { viewer: Viewer | undefined; expiresAt: number }>();

  constructor(
    private readonly sql: SqlLike,
    private readonly ttlMs = 5_000,
  ) {}

  async authenticate(authorization: string | null | undefined): Promise<Viewer | undefined> {
    const key = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!key) return undefined;
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.viewer;
    const viewer = await authenticate(this.sql, key);
    // Unknown keys are not cached: a key created a moment ago must work at once.
    if (viewer) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { viewer, expiresAt: Date.now() + this.ttlMs });
    }
    return viewer;
  }

  /** Forgets a revoked key. */
  invalidate(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.viewer?.keyId === keyId) this.cache.delete(hash);
  }
}
