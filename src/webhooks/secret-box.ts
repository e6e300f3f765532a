import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { SqlLike } from '../db/client.js';
import { PictorError } from '../errors.js';

/** Marks a sealed value: version, then base64url of IV (12 bytes) + GCM tag (16 bytes) + ciphertext. */
const Prefix = 'enc:v1:';

/**
 * Encrypts secrets at rest (webhook signing secrets) with AES-256-GCM under `SECRETS_KEY`. A
 * database dump alone no longer lets anyone forge Pictor's webhooks.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Prefix + Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64url');
  }

  /** The plain value; values stored before encryption existed pass through unchanged. */
  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(Prefix.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new PictorError('SECRET_UNREADABLE', 'A stored secret cannot be decrypted: SECRETS_KEY differs from the key that sealed it', { cause: error });
    }
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(Prefix);
  }
}

/**
 * The deployment's box: `SECRETS_KEY` when set (required in production), otherwise a key
 * generated once into `DATA_DIR/secrets-key` (development; processes sharing a database must
 * then share the key too).
 */
export async function loadSecretBox(config: Config): Promise<SecretBox> {
  if (config.secretsKey) return new SecretBox(config.secretsKey);
  const file = path.join(config.dataDir, 'secrets-key');
  const fresh = randomBytes(32).toString('base64');
  // `wx`: concurrent first starts agree on whichever key was written first.
  await fs.writeFile(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const key = Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} must hold 32 bytes in base64`);
  return new SecretBox(key);
}

/**
 * Seals the webhook secrets still stored in plain text (rows written before encryption). Each
 * update checks the value it replaces, so processes starting together never double-seal.
 */
export async function sealPlainWebhookSecrets(sql: SqlLike, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const table of ['webhook_secrets', 'webhook_endpoints'] as const) {
    const key = table === 'webhook_secrets' ? 'account_id' : 'id';
    const rows = await sql<{ rowKey: string; secret: string; previousSecret: string | null }[]>`
      select ${sql(key)} as row_key, secret, previous_secret from ${sql(table)}
      where secret not like ${`${Prefix}%`} or previous_secret not like ${`${Prefix}%`}`;
    for (const row of rows) {
      const secret = SecretBox.isSealed(row.secret) ? row.secret : box.seal(row.secret);
      const previous = row.previousSecret === null || SecretBox.isSealed(row.previousSecret) ? row.previousSecret : box.seal(row.previousSecret);
      const updated = await sql`
        update ${sql(table)} set secret = ${secret}, previous_secret = ${previous}
        where ${sql(key)} = ${row.rowKey} and secret = ${row.secret} and previous_secret is not distinct from ${row.previousSecret}`;
      sealed += updated.count;
    }
  }
  return sealed;
}
