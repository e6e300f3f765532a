import type { SqlLike } from '../db/client.js';
import type { SecretBox } from './secret-box.js';
import { newWebhookSecret, type SigningSecrets } from './signing.js';

/** A secret after rotation: the new one, and until when the previous one keeps signing. */
export interface RotatedSecret {
  readonly secret: string;
  readonly previousExpiresAt: Date;
}

interface SecretRow {
  secret: string;
  previousSecret: string | null;
  previousExpiresAt: Date | null;
}

/** The signing secrets of a stored (sealed) row as of now (the previous one only inside its overlap). */
export function signingSecretsOf(row: SecretRow, box: SecretBox, now: Date = new Date()): SigningSecrets {
  const overlapping = row.previousSecret && row.previousExpiresAt && row.previousExpiresAt > now;
  return { current: box.open(row.secret), previous: overlapping ? box.open(row.previousSecret!) : undefined };
}

/** The account's per-job webhook secret, created on first use (concurrent first uses agree). */
export async function accountWebhookSecret(sql: SqlLike, box: SecretBox, accountId: string): Promise<string> {
  return (await accountSigningSecrets(sql, box, [accountId])).get(accountId)!.current;
}

/** Signing secrets of several accounts, creating the missing ones. */
export async function accountSigningSecrets(sql: SqlLike, box: SecretBox, accountIds: readonly string[]): Promise<Map<string, SigningSecrets>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Map();
  await sql`
    insert into webhook_secrets (account_id, secret)
    select id, secret from unnest(${ids}::uuid[], ${ids.map(() => box.seal(newWebhookSecret()))}::text[]) as fresh(id, secret)
    where exists (select 1 from accounts where accounts.id = fresh.id)
    on conflict (account_id) do nothing`;
  const rows = await sql<(SecretRow & { accountId: string })[]>`
    select account_id, secret, previous_secret, previous_expires_at from webhook_secrets where account_id = any(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.accountId, signingSecretsOf(row, box)]));
}

/**
 * Replaces the account's secret. The one it replaces keeps signing (a second signature) for
 * `overlapSeconds`, so receivers can switch without dropping a delivery.
 */
export async function rotateAccountWebhookSecret(sql: SqlLike, box: SecretBox, accountId: string, overlapSeconds: number): Promise<RotatedSecret> {
  await accountSigningSecrets(sql, box, [accountId]);
  const secret = newWebhookSecret();
  const [row] = await sql<{ previousExpiresAt: Date }[]>`
    update webhook_secrets set previous_secret = secret, secret = ${box.seal(secret)},
      previous_expires_at = now() + ${overlapSeconds} * interval '1 second', rotated_at = now()
    where account_id = ${accountId}
    returning previous_expires_at`;
  return { secret, previousExpiresAt: row!.previousExpiresAt };
}
