import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { JobSubmitter, submitJob, submitJobs, type JobSubmission, type SubmitResult } from '../../src/jobs/submit.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { newAccount, placeholderSubmission } from '../support/jobs.js';

/**
 * Submissions written together (src/jobs/submit.ts, `submitJobs` and `JobSubmitter`): a batch
 * writes exactly what one-by-one submissions write, a submission its account cannot cover is
 * refused alone, no account is ever overdrawn, the ledger always matches the balance, and an
 * account's jobs queue in the order they were submitted.
 */

let database: Database;
beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 8 });
});
afterAll(async () => {
  await database?.close();
});

function submission(accountId: string, overrides: Partial<JobSubmission> = {}): JobSubmission & { jobId: string } {
  return { jobId: randomUUID(), ...placeholderSubmission(accountId, { params: { prompt: 'batch ✓ 🎨 "quoted" \\ back', width: 512 }, ...overrides }) };
}

/** What a client could ever see of a queued job and its writes, without ids and clocks. */
async function footprint(jobId: string) {
  const [job] = await database.sql<Record<string, unknown>[]>`
    select model_id, params, n, calls, requested_model_id, reference_images, output, template, webhook, provider_passthrough, seed,
           status, progress, attempts, max_attempts, timeout_ms, warnings, credits_held, idempotency_key
    from jobs where id = ${jobId}`;
  const events = await database.sql<{ type: string; status: string; progress: number }[]>`
    select type, status, progress from job_events where job_id = ${jobId} order by xid, id`;
  const entries = await database.sql<{ kind: string; amount: number }[]>`select kind, amount::int from credit_entries where job_id = ${jobId}`;
  return { job, events: [...events], entries: [...entries] };
}

async function balanceAndLedger(accountId: string) {
  const [row] = await database.sql<{ balance: number; ledger: number }[]>`
    select a.balance, (select coalesce(sum(amount), 0)::bigint from credit_entries where account_id = a.id) as ledger
    from accounts a where a.id = ${accountId}`;
  return { balance: Number(row!.balance), ledger: Number(row!.ledger) };
}

describe('submitJobs', () => {
  it('writes for each submission exactly what submitJob writes on its own', async () => {
    const variants: Partial<JobSubmission>[] = [
      {},
      {
        n: 3,
        calls: [2, 1],
        price: 30,
        seed: Number.MAX_SAFE_INTEGER,
        requestedModelId: 'gpt_4o',
        referenceImages: [{ url: 'https://example.com/a.png' }, { dataUrl: 'data:image/png;base64,AAAA', role: 'mask' }],
        output: { format: 'webp', compression: 80 },
        template: 'studio',
        webhook: { url: 'https://hooks.example.com/x', events: ['SUCCEEDED'] },
        providerPassthrough: { order: ['a', 'b'], nested: { deep: [1, null, true] } },
        warnings: ['one', 'two ✓'],
      },
      { price: 2 ** 31, params: { prompt: 'x'.repeat(20_000) }, seed: 2 ** 31 - 1 },
    ];
    for (const variant of variants) {
      const [alone, together, other] = await Promise.all([newAccount(database.sql, 2 ** 32), newAccount(database.sql, 2 ** 32), newAccount(database.sql, 2 ** 32)]);
      const single = await submitJob(database.sql, submission(alone, variant));
      expect(single.kind).toBe('queued');
      const batch = [submission(other, { price: 1 }), submission(together, variant)];
      const jobs = await submitJobs(database.sql, batch);
      expect(jobs.map((job) => job.id)).toEqual(batch.map((item) => item.jobId));
      expect(jobs[1]).toMatchObject({ accountId: together, creditsHeld: variant.price ?? 0, status: 'QUEUED' });
      expect(await footprint(jobs[1]!.id)).toEqual(await footprint((single as { job: { id: string } }).job.id));
      expect(await balanceAndLedger(together)).toEqual(await balanceAndLedger(alone));
    }
  });

  it('answers with exactly the rows it stored, over random submissions (the answer is built, not read back)', async () => {
    // Text PostgreSQL can store: no NUL, no lone surrogate (a client's are refused before this).
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const number = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)),
      fc.constantFrom(2 ** 31, 2 ** 53 - 1, 1e21),
    );
    const json = fc.dictionary(text, fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 })), { maxKeys: 6 });
    const variant = fc.record(
      {
        params: json,
        n: fc.integer({ min: 1, max: 10 }),
        calls: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        price: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 40)),
        seed: fc.oneof(fc.nat(), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1)),
        requestedModelId: fc.option(text),
        referenceImages: fc.array(fc.oneof(fc.record({ url: text }), fc.record({ mediaId: fc.uuid() }), fc.record({ dataUrl: text, role: fc.constant('mask' as const) })), { maxLength: 2 }),
        output: json,
        template: fc.option(text),
        webhook: fc.option(fc.record({ url: text, events: fc.array(text, { maxLength: 2 }) })),
        providerPassthrough: fc.option(json),
        maxAttempts: fc.integer({ min: 1, max: 10 }),
        timeoutMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        warnings: fc.array(text, { maxLength: 3 }),
        idempotencyKey: fc.option(text),
      },
      { requiredKeys: ['params', 'n', 'calls', 'price', 'seed', 'maxAttempts', 'timeoutMs', 'warnings', 'output', 'referenceImages'] },
    );
    const accountId = await newAccount(database.sql, 2 ** 50);
    const stored = async (ids: string[]) => {
      const rows = await database.sql<Record<string, unknown>[]>`select * from jobs where id = any(${ids}::uuid[]) order by seq`;
      return [...rows];
    };
    await fc.assert(
      fc.asyncProperty(fc.array(variant, { minLength: 1, maxLength: 5 }), async (variants) => {
        const batch = variants.map((overrides) => submission(accountId, overrides as Partial<JobSubmission>));
        const jobs = await submitJobs(database.sql, batch);
        expect(jobs.map((job) => job.id)).toEqual(batch.map((item) => item.jobId));
        expect(jobs).toEqual(await stored(jobs.map((job) => job.id)));
        const single = await submitJob(database.sql, submission(accountId, variants[0] as Partial<JobSubmission>));
        if (single.kind !== 'queued') throw new Error('refused');
        expect([single.job]).toEqual(await stored([single.job.id]));
      }),
      { numRuns: 40 },
    );
  });

  it('refuses only the submission its account cannot cover, and writes nothing for it', async () => {
    const [rich, poor, free] = await Promise.all([newAccount(database.sql, 10), newAccount(database.sql, 5), newAccount(database.sql, 0)]);
    const batch = [submission(rich, { price: 10 }), submission(poor, { price: 6 }), submission(free, { price: 0 })];
    const jobs = await submitJobs(database.sql, batch);
    expect(jobs.map((job) => job.accountId)).toEqual([rich, free]);
    expect(await balanceAndLedger(rich)).toEqual({ balance: 0, ledger: 0 - 10 + 10 });
    expect(await balanceAndLedger(poor)).toEqual({ balance: 5, ledger: 5 });
    const [count] = await database.sql<{ count: number }[]>`select count(*)::int from jobs where id = ${batch[1]!.jobId}`;
    expect(count!.count).toBe(0);
  });

  it("takes an account's submissions in order while its balance covers them, and stops at the first it cannot", async () => {
    const accountId = await newAccount(database.sql, 10);
    const batch = [4, 4, 4, 1].map((price) => submission(accountId, { price }));
    const jobs = await submitJobs(database.sql, batch);
    expect(jobs.map((job) => job.id)).toEqual([batch[0]!.jobId, batch[1]!.jobId]);
    expect(await balanceAndLedger(accountId)).toEqual({ balance: 2, ledger: 2 });
  });
});

/** Lets the event loop finish its turn: the submitter takes what was queued in it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('JobSubmitter', () => {
  it('writes the submissions made in one turn of the event loop in one statement, though slots are free', async () => {
    const accounts = await Promise.all([1, 2, 3, 4, 5].map(() => newAccount(database.sql, 100)));
    const submitter = new JobSubmitter(database.sql, { maxInFlight: 3, maxBatch: 24 });
    const together = await Promise.all(accounts.map((accountId) => submitter.submit(submission(accountId, { price: 1 }))));
    expect(together.map((result) => result.kind)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
    expect(submitter.stats).toEqual({ statements: 1, submissions: 5, largestBatch: 5 });
    // One submission alone is written in the next turn, without waiting for company.
    expect((await submitter.submit(submission(accounts[0]!, { price: 1 }))).kind).toBe('queued');
    expect(submitter.stats).toEqual({ statements: 2, submissions: 6, largestBatch: 5 });
    for (const accountId of accounts) {
      const { balance, ledger } = await balanceAndLedger(accountId);
      expect(balance).toBe(ledger);
    }
  });

  it('answers a batch that fails as a whole one submission at a time: only the broken one fails', async () => {
    const accounts = await Promise.all([1, 2, 3, 4].map(() => newAccount(database.sql, 100)));
    // Takes the submitter's only statement slot, so the next three wait and go together.
    const submitter = new JobSubmitter(database.sql, { maxInFlight: 1, maxBatch: 10 });
    const first = submitter.submit(submission(accounts[3]!, { price: 1 }));
    await nextTurn();
    const duplicateId = randomUUID();
    const waiting = [
      submitter.submit(submission(accounts[0]!, { price: 1 })),
      submitter.submit(submission(accounts[1]!, { jobId: duplicateId, price: 1 })),
      submitter.submit(submission(accounts[2]!, { jobId: duplicateId, price: 1 })),
    ];
    expect((await first).kind).toBe('queued');
    const settled = await Promise.allSettled(waiting);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.kind : 'rejected'))).toEqual(['queued', 'queued', 'rejected']);
    expect(submitter.stats).toEqual({ statements: 2, submissions: 4, largestBatch: 3 });
    for (const accountId of accounts) {
      const { balance, ledger } = await balanceAndLedger(accountId);
      expect(balance).toBe(ledger);
    }
    expect((await balanceAndLedger(accounts[2]!)).balance).toBe(100);
  });

  it('judges the submissions after a refusal against the balance left, as if submitted one by one', async () => {
    const [accountId, other] = await Promise.all([newAccount(database.sql, 10), newAccount(database.sql, 10)]);
    const submitter = new JobSubmitter(database.sql, { maxInFlight: 1, maxBatch: 10 });
    const first = submitter.submit(submission(other, { price: 1 }));
    await nextTurn();
    const results = await Promise.all([4, 4, 4, 1, 3].map((price) => submitter.submit(submission(accountId, { price }))));
    await first;
    expect(results.map((result) => result.kind)).toEqual(['queued', 'queued', 'insufficient-credits', 'queued', 'insufficient-credits']);
    expect(results[2]).toEqual({ kind: 'insufficient-credits', required: 4, available: 2 });
    expect(results[4]).toEqual({ kind: 'insufficient-credits', required: 3, available: 1 });
    expect(submitter.stats.largestBatch).toBe(5);
    expect(await balanceAndLedger(accountId)).toEqual({ balance: 1, ledger: 1 });
  });

  it('keeps a statement to about 8 MB of inline images: a big submission waits for the next batch, smaller ones go on', async () => {
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => newAccount(database.sql, 100)));
    const submitter = new JobSubmitter(database.sql, { maxInFlight: 1, maxBatch: 10 });
    const big = (accountId: string) => submission(accountId, { referenceImages: [{ dataUrl: `data:image/png;base64,${'A'.repeat(5_000_000)}` }] });
    const first = submitter.submit(submission(d!));
    await nextTurn();
    const results = await Promise.all([submitter.submit(big(a!)), submitter.submit(big(b!)), submitter.submit(submission(c!))]);
    await first;
    expect(results.map((result) => result.kind)).toEqual(['queued', 'queued', 'queued']);
    expect(submitter.stats).toEqual({ statements: 3, submissions: 4, largestBatch: 2 });
    const [stored] = await database.sql<{ length: number }[]>`
      select length(reference_images -> 0 ->> 'dataUrl') as length from jobs where id = ${(results[1] as { job: { id: string } }).job.id}`;
    expect(stored!.length).toBe(5_000_022);
  });

  it('never overdraws, keeps balance == ledger and each account in order, over random concurrent submissions from two processes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.record({ account: fc.nat(), price: fc.integer({ min: 0, max: 25 }), process: fc.nat(1) }), { minLength: 1, maxLength: 60 }),
        fc.record({ maxInFlight: fc.integer({ min: 1, max: 3 }), maxBatch: fc.integer({ min: 1, max: 20 }) }),
        fc.boolean(),
        async (balances, wanted, limits, oneProcess) => {
          if (oneProcess) wanted = wanted.map((item) => ({ ...item, process: 0 }));
          const accounts = await Promise.all(balances.map((credits) => newAccount(database.sql, credits)));
          const processes = [new JobSubmitter(database.sql, limits), new JobSubmitter(database.sql, limits)];
          const submissions = wanted.map((item) => ({ ...item, submission: submission(accounts[item.account % accounts.length]!, { price: item.price }) }));
          const results: SubmitResult[] = await Promise.all(submissions.map((item) => processes[item.process]!.submit(item.submission)));

          for (const [index, accountId] of accounts.entries()) {
            const mine = submissions.map((item, at) => ({ ...item, result: results[at]! })).filter((item) => item.submission.accountId === accountId);
            const queued = mine.filter((item) => item.result.kind === 'queued');
            const { balance, ledger } = await balanceAndLedger(accountId);
            expect(balance).toBe(ledger);
            expect(balance).toBe(balances[index]! - queued.reduce((sum, item) => sum + item.price, 0));
            expect(balance).toBeGreaterThanOrEqual(0);
            // Balances only fall here, so a refusal stays justified at the end.
            for (const item of mine) if (item.result.kind === 'insufficient-credits') expect(item.result.available).toBeLessThan(item.price);
            for (const item of mine) if (item.result.kind === 'insufficient-credits') expect(balance).toBeLessThan(item.price);
            if (oneProcess) {
              // One process: exactly what one-by-one submissions in order would have answered.
              let left = balances[index]!;
              const expected = mine.map((item) => (item.price <= left ? ((left -= item.price), 'queued') : 'insufficient-credits'));
              expect(mine.map((item) => item.result.kind)).toEqual(expected);
            }
            const rows = await database.sql<{ id: string; events: number }[]>`
              select j.id, (select count(*)::int from job_events e where e.job_id = j.id and e.type = 'QUEUED') as events
              from jobs j where j.account_id = ${accountId} order by j.seq`;
            expect(rows.every((row) => row.events === 1)).toBe(true);
            // One process's submissions of an account queue in the order they were made.
            for (const process of [0, 1]) {
              const order = queued.filter((item) => item.process === process).map((item) => item.submission.jobId);
              expect(rows.map((row) => row.id).filter((id) => order.includes(id))).toEqual(order);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
