import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';
import { images } from './jobs.js';

/**
 * Input pictures: uploaded, imported from a URL or sent as a data URL, checked by decoding, and
 * referenced by id in generation inputs. They belong to one account.
 */
export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** png | jpeg | webp (read from the content, never from a name or a declared type) */
    format: text('format').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** ThumbHash placeholder, base64. */
    thumbhash: text('thumbhash').notNull(),
    /** upload | url | data_url */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the retention sweeper deletes it (MEDIA_TTL_SECONDS at creation); null keeps it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [
    index('media_account_created_idx').on(table.accountId, table.createdAt),
    index('media_expiry_idx')
      .on(table.expiresAt)
      .where(sql`${table.expiresAt} is not null`),
  ],
);

/** ThumbHash placeholders of stored images (job outputs and previews), base64. */
export const imagePlaceholders = pgTable('image_placeholders', {
  imageId: uuid('image_id')
    .primaryKey()
    .references(() => images.id, { onDelete: 'cascade' }),
  thumbhash: text('thumbhash').notNull(),
});

/**
 * Blobs to delete (an outbox), so a row and its blob go together even across crashes: the
 * sweeper deletes rows and records their keys in one statement, then deletes the blobs and these
 * entries. An upload records its key *before* writing the blob, due an hour later, and removes
 * the entry in the transaction that inserts its row; an upload that dies half-way is cleaned up.
 */
export const blobDeletions = pgTable(
  'blob_deletions',
  {
    storageKey: text('storage_key').primaryKey(),
    /** Not deleted before this time; pushed back after a failed attempt. */
    notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('blob_deletions_due_idx').on(table.notBefore)],
);
