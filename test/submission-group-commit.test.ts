import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE, startTestApp, type TestApp } from './support/app.js';

/**
 * Concurrent `generateImage` calls share statements (src/jobs/submit.ts, `JobSubmitter`): what a
 * client sees is unchanged. Every call gets its own answer, an account gets exactly as many jobs
 * as its credits cover and a refusal for each of the others, the ledger matches the balance, and
 * `/metrics` shows fewer statements than submissions.
 */

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({ ROLE: 'api' });
});
afterAll(() => api?.stop());

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

describe('concurrent submissions', () => {
  it('answer each call on its own, hold exactly the credits there are, and share statements', async () => {
    const statementsBefore = await metric('pictor_submission_statements_total');
    const submissionsBefore = await metric('pictor_submissions_written_total');
    // The placeholder costs one credit per image: 25 credits cover 25 of the 40 calls.
    const tight = await api.createKey(25);
    const roomy = await Promise.all(Array.from({ length: 8 }, () => api.createKey(1_000)));
    const submit = (key: string, index: number) => api.graphql(GENERATE, { input: { model: { placeholder: { prompt: `picture ${index}`, resolution: 'RES_512', steps: 1, stepMs: 0 } } } }, key);
    const calls = [
      ...Array.from({ length: 40 }, (_, index) => submit(tight.key, index)),
      ...roomy.flatMap((account, at) => Array.from({ length: 5 }, (_, index) => submit(account.key, 100 * at + index))),
    ];
    const answers = (await Promise.all(calls)).map(({ status, body }) => ({ status, result: body.data?.generateImage }));

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const tightAnswers = answers.slice(0, 40).map((answer) => answer.result);
    expect(tightAnswers.filter((result) => result.__typename === 'GenerateImageSuccess')).toHaveLength(25);
    const refusals = tightAnswers.filter((result) => result.__typename === 'InsufficientCreditsError');
    expect(refusals).toHaveLength(15);
    expect(answers.slice(40).every((answer) => answer.result.__typename === 'GenerateImageSuccess')).toBe(true);
    const ids = answers.map((answer) => answer.result.job?.id).filter(Boolean);
    expect(new Set(ids).size).toBe(25 + 40);

    const { sql } = api.app.services.database;
    for (const account of [tight, ...roomy]) {
      const [row] = await sql<{ balance: number; ledger: number; jobs: number; queued: number }[]>`
        select a.balance,
               (select coalesce(sum(amount), 0) from credit_entries where account_id = a.id)::bigint as ledger,
               (select count(*) from jobs where account_id = a.id)::int as jobs,
               (select count(*) from job_events where account_id = a.id and type = 'QUEUED')::int as queued
        from accounts a where a.id = ${account.accountId}`;
      expect(Number(row!.balance)).toBe(Number(row!.ledger));
      expect(row!.queued).toBe(row!.jobs);
    }
    const [tightRow] = await sql<{ balance: number }[]>`select balance from accounts where id = ${tight.accountId}`;
    expect(Number(tightRow!.balance)).toBe(0);

    const statements = (await metric('pictor_submission_statements_total')) - statementsBefore;
    const submissions = (await metric('pictor_submissions_written_total')) - submissionsBefore;
    expect(submissions).toBe(80);
    expect(statements).toBeLessThan(submissions);
  });
});
