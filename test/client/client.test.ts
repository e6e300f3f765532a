import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPictorClient, isTerminalUpdate, PictorError, possibleTypes, type JobUpdate, type PictorClient } from '../../src/client/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** The typed client `pictor/client` against a real server, with its connection cut mid-stream. */

let test: TestApp;
let proxy: TcpProxy;
let key: string;
let client: PictorClient;

beforeAll(async () => {
  test = await startTestApp();
  proxy = await startTcpProxy(test.url);
  key = (await test.createKey(10_000)).key;
  client = createPictorClient({ url: proxy.url, apiKey: key, webSocketImpl: WebSocket });
});
afterAll(async () => {
  await client?.dispose();
  await proxy?.close();
  await test?.stop();
});

async function startPlaceholder(steps: number, stepMs: number) {
  const result = await client.generate({ model: { placeholder: { prompt: 'a lighthouse at dusk', resolution: 'RES_512', steps, stepMs } }, seed: 7 });
  if (result.__typename !== 'GenerateImageSuccess') throw new Error(`generate refused: ${JSON.stringify(result)}`);
  return result.job;
}

/** The job's event log as stored, in delivery order. */
async function loggedEvents(jobId: string) {
  return test.app.services.database.sql<{ type: string; progress: number; stage: string | null }[]>`
    select type, progress, stage from job_events where job_id = ${jobId} order by xid, id`;
}

describe('pictor/client', () => {
  it('lists models, starts a typed job, reads it back, uploads media and exposes possibleTypes', async () => {
    const models = await client.models();
    const placeholder = models.find((model) => model.id === 'placeholder')!;
    expect(placeholder.inputField).toBe('placeholder');
    expect(placeholder.parameters.map((parameter) => parameter.name)).toContain('prompt');

    const job = await startPlaceholder(2, 0);
    expect(job.status).toMatch(/QUEUED|RUNNING|SUCCEEDED/);
    expect((await client.job(job.id))?.id).toBe(job.id);
    expect(await client.job('00000000-0000-4000-8000-000000000000')).toBeNull();

    const refused = await client.generate({ model: { placeholder: { prompt: 'x', steps: 1000 } } });
    expect(refused.__typename).toBe('ValidationError');

    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const media = await client.uploadMedia(new Blob([new Uint8Array(png)], { type: 'image/png' }), 'reference.png');
    expect(media).toMatchObject({ width: 64, height: 48, format: 'PNG' });
    await expect(client.uploadMedia(new Blob(['not an image']))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA', status: 415 });

    expect(possibleTypes.GenerateImageResult).toEqual(expect.arrayContaining(['GenerateImageSuccess', 'ValidationError']));
    expect(possibleTypes.Error).toContain('InsufficientCreditsError');
  });

  it('yields every update once and in order while its WebSocket is cut twice mid-stream', async () => {
    const job = await startPlaceholder(24, 40);
    const updates: JobUpdate[] = [];
    const reconnects: { after: string | undefined; yielded: number }[] = [];
    const cuts: number[] = [];
    const onReconnect = (_attempt: number, after: string | undefined) => reconnects.push({ after, yielded: updates.length });
    for await (const update of client.watchJob(job.id, { retryDelayMs: 20, onReconnect })) {
      updates.push(update);
      // Cut right after an update arrived, while the job keeps producing more.
      if ((updates.length === 3 || updates.length === 10) && !isTerminalUpdate(update)) cuts.push(proxy.cutAll());
    }
    // Each cut closed at least the WebSocket (idle HTTP keep-alive connections go too).
    expect(cuts).toHaveLength(2);
    expect(Math.min(...cuts)).toBeGreaterThanOrEqual(1);
    // Each reconnect resumes after the last update it yielded. Updates already received when the
    // socket was cut (in the socket's buffers) are still yielded first, so that may be later than
    // the update after which the cut was made.
    expect(reconnects).toHaveLength(2);
    expect(reconnects[0]!.yielded).toBeGreaterThanOrEqual(3);
    expect(reconnects[1]!.yielded).toBeGreaterThanOrEqual(10);
    for (const { after, yielded } of reconnects) expect(after).toBe(updates[yielded - 1]!.cursor);

    const last = updates.at(-1)!;
    expect(last.type).toBe('SUCCEEDED');
    expect(last.job.images).toHaveLength(1);
    expect(new Set(updates.map((update) => update.cursor)).size).toBe(updates.length);
    expect(updates[0]!.type).toBe('SNAPSHOT');

    // After the snapshot: exactly the stored log's tail, nothing skipped or repeated across the cuts.
    const log = await loggedEvents(job.id);
    const streamed = updates.slice(1).map((update) => ({ type: update.type, progress: update.progress, stage: update.stage }));
    expect(streamed.length).toBeGreaterThan(10);
    expect(streamed).toEqual(log.slice(log.length - streamed.length).map((event) => ({ type: event.type, progress: event.progress, stage: event.stage })));
    const progress = streamed.filter((update) => update.type === 'PROGRESS').map((update) => update.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('resumes from a cursor kept elsewhere (a reloaded page) and replays what was missed', async () => {
    const job = await startPlaceholder(6, 30);
    const first: JobUpdate[] = [];
    for await (const update of client.watchJob(job.id)) {
      first.push(update);
      if (first.length === 2) break;
    }
    const resumed: JobUpdate[] = [];
    for await (const update of client.watchJob(job.id, { after: first[1]!.cursor })) resumed.push(update);
    expect(resumed.at(-1)!.type).toBe('SUCCEEDED');
    expect(resumed.map((update) => update.cursor)).not.toContain(first[1]!.cursor);
    const log = await loggedEvents(job.id);
    expect([...first.slice(1), ...resumed].map((update) => update.type)).toEqual(log.slice(log.length - resumed.length - 1).map((event) => event.type));
  });

  it('ends a watch of a finished job after one terminal snapshot', async () => {
    const job = await startPlaceholder(1, 0);
    const seen: JobUpdate[] = [];
    // The first watch runs to the end; the second sees the finished job at once.
    for await (const update of client.watchJob(job.id)) seen.push(update);
    const again: JobUpdate[] = [];
    for await (const update of client.watchJob(job.id)) again.push(update);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ type: 'SNAPSHOT', job: { status: 'SUCCEEDED' } });
  });

  it('ends when resumed from the terminal update’s cursor (nothing comes after it)', async () => {
    const job = await startPlaceholder(1, 0);
    let terminal: JobUpdate | undefined;
    for await (const update of client.watchJob(job.id)) terminal = update;
    expect(terminal!.type).toBe('SUCCEEDED');
    const resumed: JobUpdate[] = [];
    const ended = (async () => {
      for await (const update of client.watchJob(job.id, { after: terminal!.cursor })) resumed.push(update);
      return 'ended';
    })();
    const outcome = await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 10_000, 'still open after 10 s'))]);
    expect(outcome).toBe('ended');
    expect(resumed).toEqual([]);
  });

  it('gives up at once with a typed error when the server refuses, instead of reconnecting', async () => {
    const reconnects: number[] = [];
    const unknown = client.watchJob('00000000-0000-4000-8000-000000000000', { onReconnect: (attempt) => reconnects.push(attempt) });
    await expect(unknown.next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stranger = createPictorClient({ url: test.url, apiKey: 'pk_wrong', webSocketImpl: WebSocket });
    try {
      const job = await startPlaceholder(1, 0);
      const error = await stranger
        .watchJob(job.id, { onReconnect: (attempt) => reconnects.push(attempt) })
        .next()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PictorError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(stranger.models()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    } finally {
      await stranger.dispose();
    }
    expect(reconnects).toEqual([]);
  });
});
