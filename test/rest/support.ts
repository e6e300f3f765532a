import sharp from 'sharp';
import type { TestApp } from '../support/app.js';

/** Helpers the REST wire-format tests share. */

/** A solid-colour PNG. */
export function solidPng(width: number, height: number, color: { r: number; g: number; b: number; alpha?: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { alpha: 1, ...color } } })
    .png()
    .toBuffer();
}

/** A mask: opaque on the left half (kept), transparent on the right half (edited). */
export async function halfMask(width: number, height: number): Promise<Buffer> {
  const left = await sharp({ create: { width: Math.floor(width / 2), height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

export async function pixelAt(bytes: Uint8Array, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const index = (y * info.width + x) * 3;
  return [data[index]!, data[index + 1]!, data[index + 2]!];
}

/** Jobs and balance of an account: what bad input must leave untouched. */
export async function accountState(test: TestApp, accountId: string): Promise<{ jobs: number; balance: number }> {
  const sql = test.app.services.database.sql;
  const [row] = await sql<{ jobs: number; balance: number }[]>`
    select (select count(*)::int from jobs where account_id = ${accountId}) as jobs, balance from accounts where id = ${accountId}`;
  return row!;
}

export async function limitRequests(test: TestApp, accountId: string, perMinute: number): Promise<void> {
  await test.app.services.database.sql`update accounts set requests_per_minute = ${perMinute} where id = ${accountId}`;
}

/** A GraphQL read of a job, as a client of the GraphQL API sees it. */
export async function graphqlJob(test: TestApp, key: string, id: string) {
  const { body } = await test.graphql(`query($id: ID!) { job(id: $id) { id status modelId warnings images { width height format } } }`, { id }, key);
  return body.data?.job as { id: string; status: string; modelId: string; warnings: string[]; images: { width: number; height: number; format: string }[] } | null;
}
