import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, GENERATE, generatePlaceholder, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp();
  key = (await test.createKey(100)).key;
});
afterAll(() => test?.stop());

describe('generate, subscribe and download', () => {
  it('runs a placeholder job end to end over HTTP and graphql-ws', async () => {
    const job = await generatePlaceholder(test, key, { aspectRatio: 'RATIO_16_9', resolution: 'RES_1K', steps: 4, stepMs: 30, outputFormat: 'WEBP' });
    expect(job.status).toBe('QUEUED');

    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const types = updates.map((update) => update.jobUpdated.type);
    expect(types[0]).toBe('SNAPSHOT');
    expect(types.at(-1)).toBe('SUCCEEDED');
    expect(types).toContain('PROGRESS');
    // Progress never goes backwards, and the stream completed by itself after SUCCEEDED.
    const progress = updates.map((update) => update.jobUpdated.progress);
    expect(progress).toEqual([...progress].sort((left, right) => left - right));
    const cursors = updates.map((update) => update.jobUpdated.cursor);
    expect(new Set(cursors.slice(1)).size).toBe(cursors.length - 1);

    const finished = updates.at(-1).jobUpdated.job;
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.progress).toBe(1);
    expect(finished.images).toHaveLength(1);
    const image = finished.images[0];
    expect([image.width, image.height, image.format]).toEqual([1368, 768, 'WEBP']);

    // The signed URL works without any header, like an <img src>.
    const response = await fetch(image.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    const metadata = await sharp(bytes).metadata();
    expect([metadata.width, metadata.height, metadata.format]).toEqual([1368, 768, 'webp']);

    // Conditional requests are answered from the ETag.
    const again = await fetch(image.url, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('streams preview frames that are stored images', async () => {
    const job = await generatePlaceholder(test, key, { steps: 3, stepMs: 20 });
    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const previews = updates.map((update) => update.jobUpdated.preview).filter(Boolean);
    expect(previews.length).toBeGreaterThan(0);
    const response = await fetch(previews[0].url);
    expect(response.status).toBe(200);
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(Math.max(metadata.width!, metadata.height!)).toBeLessThanOrEqual(512);
  });

  it('gives byte-identical pictures for the same prompt, seed and params', async () => {
    const run = async (seed: number) => {
      const job = await generatePlaceholder(test, key, { prompt: 'same every time' }, { seed });
      const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
      return updates.at(-1).jobUpdated.job.images[0].sha256 as string;
    };
    const first = await run(42);
    expect(await run(42)).toBe(first);
    expect(await run(43)).not.toBe(first);
  });

  it('takes any seed up to 4294967295 (beyond Int) and shows it on the job as the same Seed; refuses non-integers naming seed', async () => {
    const job = await generatePlaceholder(test, key, {}, { seed: 4_294_967_295 });
    expect((await test.graphql('query($id: ID!) { job(id: $id) { seed } }', { id: job.id }, key)).body.data.job.seed).toBe(4_294_967_295);
    const beyond = await test.graphql(
      'mutation { generateImage(input: { model: { placeholder: { prompt: "x" } }, seed: 4294967296 }) { __typename ... on ValidationError { issues { path } } } }',
      {},
      key,
    );
    expect(beyond.body.data.generateImage).toEqual({ __typename: 'ValidationError', issues: [{ path: ['seed'] }] });
    const fractional = await test.graphql('mutation { generateImage(input: { model: { placeholder: { prompt: "x" } }, seed: 1.5 }) { __typename } }', {}, key);
    expect(fractional.body.data).toBeUndefined();
    expect(fractional.body.errors?.[0].message).toMatch(/seed/i);
  });

  it('charges one credit per image and lists jobs newest first with a cursor', async () => {
    const before = (await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance;
    const job = await generatePlaceholder(test, key, {}, { n: 2 });
    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const done = updates.at(-1).jobUpdated.job;
    expect(done.images).toHaveLength(2);
    expect(done.creditsCharged).toBe(2);
    expect((await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance).toBe(before - 2);

    const page = await test.graphql('query($after: String) { jobs(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', {}, key);
    expect(page.body.data.jobs.nodes[0].id).toBe(job.id);
    expect(page.body.data.jobs.pageInfo.hasNextPage).toBe(true);
    const next = await test.graphql('query($after: String) { jobs(first: 2, after: $after) { nodes { id } } }', { after: page.body.data.jobs.pageInfo.endCursor }, key);
    const firstIds = page.body.data.jobs.nodes.map((node: { id: string }) => node.id);
    for (const node of next.body.data.jobs.nodes) expect(firstIds).not.toContain(node.id);
  });

  it('rejects bad input with a typed error naming the field, creating nothing', async () => {
    const before = await test.graphql('{ jobs(first: 100) { nodes { id } } viewer { balance } }', {}, key);
    const { body } = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: '   ', steps: 1000 } } } }, key);
    expect(body.data.generateImage.__typename).toBe('ValidationError');
    const paths = body.data.generateImage.issues.map((issue: { path: string[] }) => issue.path.join('.'));
    expect(paths).toContain('model.placeholder.prompt');
    expect(paths).toContain('model.placeholder.steps');
    const tooMany = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'x' } }, n: 99 } }, key);
    expect(tooMany.body.data.generateImage.issues[0].path).toEqual(['n']);
    const after = await test.graphql('{ jobs(first: 100) { nodes { id } } viewer { balance } }', {}, key);
    expect(after.body.data).toEqual(before.body.data);
  });

  it('refuses a job the balance cannot cover, creating nothing', async () => {
    const poor = await test.createKey(1);
    const { body } = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'x' } }, n: 3 } }, poor.key);
    expect(body.data.generateImage).toMatchObject({ __typename: 'InsufficientCreditsError', code: 'INSUFFICIENT_CREDITS', required: 3, available: 1 });
    const jobs = await test.graphql('{ jobs { nodes { id } } viewer { balance } }', {}, poor.key);
    expect(jobs.body.data).toEqual({ jobs: { nodes: [] }, viewer: { balance: 1 } });
  });

  it('returns the original job for a repeated idempotency key, charging once even when requests race', async () => {
    const { key: racer } = await test.createKey(10);
    const input = { model: { placeholder: { prompt: 'once', stepMs: 0 } }, idempotencyKey: 'order-42' };
    const results = await Promise.all(Array.from({ length: 6 }, () => test.graphql(GENERATE, { input }, racer)));
    const ids = new Set(results.map((result) => result.body.data.generateImage.job.id));
    expect(ids.size).toBe(1);
    expect((await test.graphql('{ viewer { balance } jobs { nodes { id } } }', {}, racer)).body.data).toMatchObject({ viewer: { balance: 9 }, jobs: { nodes: [{ id: [...ids][0] }] } });
  });

  it('lists the placeholder model with its parameters', async () => {
    const { body } = await test.graphql('{ model(id: "placeholder") { id available parameters { name type required allowedValues default } parametersJsonSchema } }', {}, key);
    const model = body.data.model;
    expect(model.available).toBe(true);
    const aspect = model.parameters.find((parameter: { name: string }) => parameter.name === 'aspectRatio');
    expect(aspect).toMatchObject({ type: 'enum', default: '1:1', required: false });
    expect(aspect.allowedValues).toContain('21:9');
    expect(model.parameters.find((parameter: { name: string }) => parameter.name === 'prompt').required).toBe(true);
    expect(model.parametersJsonSchema.properties.resolution.enum).toEqual(['512', '1K', '2K']);
  });
});

describe('idempotency keys', () => {
  it('refuses the same key with a different request, creating and charging nothing', async () => {
    const { key: client } = await test.createKey(10);
    const first = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'first' } }, idempotencyKey: 'k-1' } }, client);
    expect(first.body.data.generateImage.__typename).toBe('GenerateImageSuccess');
    const second = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'different' } }, idempotencyKey: 'k-1' } }, client);
    expect(second.body.data.generateImage).toMatchObject({ __typename: 'IdempotencyConflictError', code: 'IDEMPOTENCY_CONFLICT' });
    expect((await test.graphql('{ viewer { balance } jobs { nodes { id } } }', {}, client)).body.data).toMatchObject({ viewer: { balance: 9 }, jobs: { nodes: [{}] } });
  });

  it('accepts the key as an Idempotency-Key header, and keys are per account', async () => {
    const { key: client } = await test.createKey(10);
    const { key: other } = await test.createKey(10);
    const send = async (apiKey: string) => {
      const response = await fetch(`${test.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': 'header-key' },
        body: JSON.stringify({ query: GENERATE, variables: { input: { model: { placeholder: { prompt: 'via header' } } } } }),
      });
      return ((await response.json()) as any).data.generateImage.job.id as string;
    };
    const id = await send(client);
    expect(await send(client)).toBe(id);
    expect(await send(other)).not.toBe(id);
  });

  it('lets a key be reused once it has expired after 24 hours', async () => {
    const { key: client, accountId } = await test.createKey(10);
    const input = { model: { placeholder: { prompt: 'expiring' } }, idempotencyKey: 'k-exp' };
    const first = (await test.graphql(GENERATE, { input }, client)).body.data.generateImage.job.id;
    await test.app.services.database.sql`update idempotency_keys set expires_at = now() - interval '1 second' where account_id = ${accountId}`;
    const second = (await test.graphql(GENERATE, { input }, client)).body.data.generateImage.job.id;
    expect(second).not.toBe(first);
  });
});
