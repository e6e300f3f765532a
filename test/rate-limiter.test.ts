import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithKey, type CreatedKey } from '../src/accounts/api-keys.js';
import { RateLimiter } from '../src/accounts/rate-limit.js';
import { connect, type Database, type SqlLike } from '../src/db/client.js';
import { createTestDatabase } from './support/database.js';

let database: Database;
let statements = 0;
/** The real pool, with every statement it is handed counted. */
let countingSql: SqlLike;

beforeAll(async () => {
  database = connect(await createTestDatabase(), { max: 4 });
  const tag = (strings: TemplateStringsArray, ...values: unknown[]) => {
    statements++;
    return (database.sql as unknown as (strings: TemplateStringsArray, ...values: unknown[]) => unknown)(strings, ...values);
  };
  countingSql = tag as unknown as SqlLike;
});

afterAll(async () => {
  await database.close();
});

const failOnError = (error: unknown) => {
  throw error;
};
const newKey = (): Promise<CreatedKey> => createAccountWithKey(database.sql, { name: 'limited', credits: 0 });
const viewerOf = (key: CreatedKey, requestsPerMinute: number | null = null) => ({ keyId: key.keyId, accountId: key.accountId, requestsPerMinute });
const storedCount = async (key: CreatedKey) => Number((await database.sql`select coalesce(sum(count), 0)::int as count from rate_limit_windows where key_id = ${key.keyId}`)[0]!.count);

describe('RateLimiter', () => {
  it('runs no statement at all when the limit is 0 (unlimited)', async () => {
    const key = await newKey();
    const limiter = new RateLimiter(countingSql, failOnError);
    const before = statements;
    for (let index = 0; index < 50; index++) expect((await limiter.count(viewerOf(key), 0)).allowed).toBe(true);
    // The account's own 0 wins over a deployment default.
    expect((await limiter.count(viewerOf(key, 0), 100)).allowed).toBe(true);
    await limiter.flush();
    expect(statements - before).toBe(0);
    expect(await storedCount(key)).toBe(0);
  });

  it('admits exactly the limit in one process and writes every counted operation', async () => {
    const key = await newKey();
    const limiter = new RateLimiter(countingSql, failOnError);
    const before = statements;
    const decisions = [];
    for (let index = 0; index < 40; index++) decisions.push(await limiter.count(viewerOf(key), 20));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
    expect(decisions.slice(20).every((decision) => !decision.allowed && decision.retryAfterSeconds >= 1)).toBe(true);
    await limiter.flush();
    expect(await storedCount(key)).toBe(40);
    // The first half of the budget was admitted from memory: fewer statements than operations.
    expect(statements - before).toBeLessThan(40);
  });

  it('counts several operations of one request together and refuses a request over the budget before it runs', async () => {
    const key = await newKey();
    const limiter = new RateLimiter(countingSql, failOnError);
    expect((await limiter.count(viewerOf(key), 30, 31)).allowed).toBe(false);
    const other = await newKey();
    expect((await limiter.count(viewerOf(other), 30, 30)).allowed).toBe(true);
    expect((await limiter.count(viewerOf(other), 30, 1)).allowed).toBe(false);
  });

  it('keeps two processes sharing a key within half a limit of it, and exact once the key is past half', async () => {
    const key = await newKey();
    const first = new RateLimiter(countingSql, failOnError, 60_000);
    const second = new RateLimiter(countingSql, failOnError, 60_000);
    let admitted = 0;
    for (let index = 0; index < 60; index++) {
      const limiter = index % 2 === 0 ? first : second;
      if ((await limiter.count(viewerOf(key), 20)).allowed) admitted++;
    }
    expect(admitted).toBeGreaterThanOrEqual(20);
    expect(admitted).toBeLessThanOrEqual(30);
    await Promise.all([first.flush(), second.flush()]);
    expect(await storedCount(key)).toBe(60);
  });
});
