import { buildSchema, parse, subscribe, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { attachResultWriter, sharedEventStats, sharedEventSubscribe, sharedResultText } from '../../src/http/shared-event-results.js';
import { nextMessage } from '../../src/http/ws-server.js';

/** A feed that hands the same event object to every open stream, as the hub does. */
class Feed {
  readonly streams = new Set<{ push(event: object): void; end(): void }>();

  open(): AsyncIterableIterator<object> {
    const queue: object[] = [];
    let waiting: ((step: IteratorResult<object>) => void) | undefined;
    let ended = false;
    const stream = {
      push: (event: object) => (waiting ? (waiting({ value: event, done: false }), (waiting = undefined)) : queue.push(event)),
      end: () => {
        ended = true;
        this.streams.delete(stream);
        waiting?.({ value: undefined, done: true });
      },
    };
    this.streams.add(stream);
    const iterator: AsyncIterableIterator<object> = {
      next: () =>
        queue.length > 0 ? Promise.resolve({ value: queue.shift()!, done: false }) : ended ? Promise.resolve({ value: undefined, done: true }) : new Promise((resolve) => (waiting = resolve)),
      return: () => (stream.end(), Promise.resolve({ value: undefined, done: true })),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  publish(event: object): void {
    for (const stream of this.streams) stream.push(event);
  }
}

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Update { name: String, seenBy(prefix: String): String, extra: Int, broken: String, later: String }
  type Subscription { updates: Update }
`);

function setUp() {
  const feed = new Feed();
  const calls = { resolve: 0 };
  const fields = schema.getSubscriptionType()!.getFields();
  fields.updates!.subscribe = () => feed.open();
  fields.updates!.resolve = (event) => (calls.resolve++, event);
  const update = schema.getType('Update') as import('graphql').GraphQLObjectType;
  update.getFields().seenBy!.resolve = (_event, args, context) => `${args.prefix ?? ''}${context.viewer.accountId}:${[...context.viewer.scopes].join('+')}`;
  update.getFields().extra!.resolve = () => 7;
  update.getFields().broken!.resolve = () => {
    throw new Error('broken field');
  };
  update.getFields().later!.resolve = async () => 'later';
  const shared = sharedEventSubscribe(subscribe as never);
  const open = async (viewer: { accountId: string; scopes: string[]; operator?: boolean } | null, query: string, variables?: Record<string, unknown>) =>
    (await shared({
      schema,
      document: parse(query),
      variableValues: variables,
      contextValue: { viewer: viewer && { keyId: 'k', operator: false, ...viewer } },
    })) as AsyncIterableIterator<ExecutionResult>;
  return { feed, calls, open };
}

const NAMED = 'subscription { updates { name seenBy } }';

describe('subscription events executed once per sharing key', () => {
  it('runs the resolvers once per event for many subscribers of one account, and never shares across accounts, scopes, selections or variables', async () => {
    const { feed, calls, open } = setUp();
    const sameA = await Promise.all(Array.from({ length: 20 }, () => open({ accountId: 'A', scopes: ['read', 'generate'] }, NAMED)));
    const scopesReordered = await open({ accountId: 'A', scopes: ['generate', 'read'] }, NAMED);
    const accountB = await open({ accountId: 'B', scopes: ['read', 'generate'] }, NAMED);
    const readOnlyA = await open({ accountId: 'A', scopes: ['read'] }, NAMED);
    const operatorA = await open({ accountId: 'A', scopes: ['read', 'generate'], operator: true }, NAMED);
    const otherSelection = await open({ accountId: 'A', scopes: ['read', 'generate'] }, 'subscription { updates { name extra } }');
    const withVariables = await open({ accountId: 'A', scopes: ['read', 'generate'] }, 'subscription ($p: String) { updates { name seenBy(prefix: $p) } }', { p: '>' });

    feed.publish({ name: 'first' });
    feed.publish({ name: 'second' });
    const firstTwo = (stream: AsyncIterableIterator<ExecutionResult>) => Promise.all([stream.next(), stream.next()]).then((steps) => steps.map((step) => step.value.data.updates));

    for (const stream of [...sameA, scopesReordered]) {
      expect(await firstTwo(stream)).toEqual([
        { name: 'first', seenBy: 'A:read+generate' },
        { name: 'second', seenBy: 'A:read+generate' },
      ]);
    }
    expect(await firstTwo(accountB)).toEqual([
      { name: 'first', seenBy: 'B:read+generate' },
      { name: 'second', seenBy: 'B:read+generate' },
    ]);
    expect((await firstTwo(readOnlyA)).map((update) => update.seenBy)).toEqual(['A:read', 'A:read']);
    expect((await firstTwo(operatorA)).map((update) => update.name)).toEqual(['first', 'second']);
    expect(await firstTwo(otherSelection)).toEqual([
      { name: 'first', extra: 7 },
      { name: 'second', extra: 7 },
    ]);
    expect((await firstTwo(withVariables)).map((update) => update.seenBy)).toEqual(['>A:read+generate', '>A:read+generate']);
    // Two events x six distinct keys (20 + 1 subscribers of account A share one), not two x 26.
    expect(calls.resolve).toBe(2 * 6);
  });

  it('gives every subscriber its own result envelope', async () => {
    const { feed, open } = setUp();
    const [left, right] = [await open({ accountId: 'A', scopes: ['read'] }, NAMED), await open({ accountId: 'A', scopes: ['read'] }, NAMED)];
    feed.publish({ name: 'only' });
    const [a, b] = [(await left.next()).value, (await right.next()).value];
    expect(a).not.toBe(b);
    (a as { extensions?: unknown }).extensions = { mine: true };
    expect(b.extensions).toBeUndefined();
    expect(b.data).toEqual({ updates: { name: 'only', seenBy: 'A:read' } });
  });

  it('releases the source at once when a waiting subscriber unsubscribes', async () => {
    const { feed, open } = setUp();
    const stream = await open({ accountId: 'A', scopes: ['read'] }, NAMED);
    const pending = stream.next();
    expect(feed.streams.size).toBe(1);
    await stream.return!();
    expect(feed.streams.size).toBe(0);
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('executes per subscriber without a viewer, and reports bad variables as the executor does', async () => {
    const { feed, calls, open } = setUp();
    const anonymous = await Promise.all([open(null, NAMED), open(null, NAMED)]);
    feed.publish({ name: 'x' });
    await Promise.all(anonymous.map((stream) => stream.next()));
    expect(calls.resolve).toBe(2);
    const bad = (await open({ accountId: 'A', scopes: ['read'] }, 'subscription ($p: String!) { updates { seenBy(prefix: $p) } }', {})) as unknown as ExecutionResult;
    expect(bad.errors?.[0]?.message).toMatch(/\$p/);
    expect(feed.streams.size).toBe(2);
  });
});

describe('shared results written once', () => {
  it('gives readers of one shared result the same JSON text, written once, and readers of other keys their own', async () => {
    const { feed, open } = setUp();
    const sameA = await Promise.all(Array.from({ length: 5 }, () => open({ accountId: 'A', scopes: ['read'] }, NAMED)));
    const accountB = await open({ accountId: 'B', scopes: ['read'] }, NAMED);
    const withVariables = await open({ accountId: 'A', scopes: ['read'] }, 'subscription ($p: String) { updates { name seenBy(prefix: $p) } }', { p: '>' });
    const before = sharedEventStats.serialisations;
    feed.publish({ name: 'once' });
    const results = await Promise.all([...sameA, accountB, withVariables].map(async (stream) => (await stream.next()).value as ExecutionResult));
    const texts = results.map((result) => sharedResultText(result));
    expect(new Set(texts.slice(0, 5)).size).toBe(1);
    expect(JSON.parse(texts[0]!)).toEqual({ data: { updates: { name: 'once', seenBy: 'A:read' } } });
    expect(JSON.parse(texts[5]!)).toEqual({ data: { updates: { name: 'once', seenBy: 'B:read' } } });
    expect(JSON.parse(texts[6]!)).toEqual({ data: { updates: { name: 'once', seenBy: '>A:read' } } });
    // One text per sharing key, however many readers: A, B and A with other variables.
    expect(sharedEventStats.serialisations - before).toBe(3);
    expect(nextMessage('7', results[0]!)).toBe(`{"id":"7","type":"next","payload":${texts[0]}}`);
  });

  it('writes a result a plugin changed for its reader for that reader alone', async () => {
    const { feed, open } = setUp();
    const [changed, replaced, untouched] = await Promise.all([1, 2, 3].map(() => open({ accountId: 'A', scopes: ['read'] }, NAMED)));
    feed.publish({ name: 'private' });
    const [a, b, c] = await Promise.all([changed, replaced, untouched].map(async (stream) => (await stream.next()).value as ExecutionResult));
    (a as { extensions?: unknown }).extensions = { onlyFor: 'a' };
    const b2 = { ...b, data: { updates: { name: 'rewritten for b' } } };
    expect(sharedResultText(a!)).toBeUndefined();
    expect(sharedResultText(b2)).toBeUndefined();
    expect(JSON.parse(nextMessage('1', a!))).toEqual({ id: '1', type: 'next', payload: { data: { updates: { name: 'private', seenBy: 'A:read' } }, extensions: { onlyFor: 'a' } } });
    expect(JSON.parse(nextMessage('2', b2))).toEqual({ id: '2', type: 'next', payload: { data: { updates: { name: 'rewritten for b' } } } });
    expect(JSON.parse(nextMessage('3', c!))).toEqual({ id: '3', type: 'next', payload: { data: { updates: { name: 'private', seenBy: 'A:read' } } } });
  });
});

/**
 * A feed whose streams push to a sink like the hub's `LogSubscription`: to the sink while the
 * reader waits with nothing queued, else queued for `next()`.
 */
function pushingFeed() {
  const streams = new Set<{ publish(event: object): void }>();
  return {
    open(): AsyncIterableIterator<object> {
      const queue: object[] = [];
      let waiting: ((step: IteratorResult<object>) => void) | undefined;
      let sink: { push(event: object): boolean } | undefined;
      const stream = {
        publish(event: object) {
          if (waiting && queue.length === 0 && sink?.push(event)) return;
          if (waiting) {
            const resolve = waiting;
            waiting = undefined;
            resolve({ value: event, done: false });
          } else queue.push(event);
        },
      };
      streams.add(stream);
      const iterator = {
        attachSink: (attached: { push(event: object): boolean }) => void (sink = attached),
        next: () => (queue.length > 0 ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise<IteratorResult<object>>((resolve) => (waiting = resolve))),
        return: () => (streams.delete(stream), Promise.resolve({ value: undefined, done: true as const })),
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator as AsyncIterableIterator<object>;
    },
    publish(event: object) {
      for (const stream of streams) stream.publish(event);
    },
  };
}

/** A socket stand-in: takes `next` payloads until it is `full` (backed up). */
function writer() {
  return {
    payloads: [] as unknown[],
    full: false,
    writeNext(payloadText: string) {
      if (this.full) return false;
      this.payloads.push(JSON.parse(payloadText));
      return true;
    },
  };
}

describe('the fast path: results pushed to a writer', () => {
  function setUpPushing() {
    const feed = pushingFeed();
    schema.getSubscriptionType()!.getFields().updates!.subscribe = () => feed.open();
    schema.getSubscriptionType()!.getFields().updates!.resolve = (event) => event;
    const update = schema.getType('Update') as import('graphql').GraphQLObjectType;
    update.getFields().seenBy!.resolve = (_event, _args, context) => context.viewer.accountId;
    update.getFields().broken!.resolve = () => {
      throw new Error('broken field');
    };
    update.getFields().later!.resolve = async () => 'later';
    const shared = sharedEventSubscribe(subscribe as never);
    const open = async (query: string) => {
      const args = { schema, document: parse(query), contextValue: { viewer: { keyId: 'k', accountId: 'A', scopes: ['read'], operator: false } } };
      const stream = (await shared(args)) as AsyncIterableIterator<ExecutionResult>;
      const output = writer();
      expect(attachResultWriter(args, output)).toBeDefined();
      // The reader waits for its next result, as the WebSocket writer does.
      const pending = stream.next();
      return { stream, output, pending };
    };
    return { feed, open };
  }

  it('writes an error-free shared result to every waiting reader, executed and serialised once', async () => {
    const { feed, open } = setUpPushing();
    const readers = await Promise.all(Array.from({ length: 4 }, () => open(NAMED)));
    const before = { ...sharedEventStats };
    feed.publish({ name: 'one' });
    feed.publish({ name: 'two' });
    for (const { output } of readers) expect(output.payloads).toEqual([{ data: { updates: { name: 'one', seenBy: 'A' } } }, { data: { updates: { name: 'two', seenBy: 'A' } } }]);
    expect(sharedEventStats.executions - before.executions).toBe(2);
    expect(sharedEventStats.serialisations - before.serialisations).toBe(2);
    expect(sharedEventStats.pushed - before.pushed).toBe(8);
  });

  it('leaves results with errors, results still running and backed-up readers to next(), in order', async () => {
    const { feed, open } = setUpPushing();
    const broken = await open('subscription { updates { name broken } }');
    const later = await open('subscription { updates { name later } }');
    const backedUp = await open(NAMED);
    backedUp.output.full = true;
    feed.publish({ name: 'one' });
    expect([broken.output.payloads, later.output.payloads, backedUp.output.payloads]).toEqual([[], [], []]);
    const brokenResult = (await broken.pending).value as ExecutionResult;
    expect(brokenResult.data).toEqual({ updates: { name: 'one', broken: null } });
    expect(brokenResult.errors?.[0]?.message).toBe('broken field');
    expect((await later.pending).value).toMatchObject({ data: { updates: { name: 'one', later: 'later' } } });
    expect((await backedUp.pending).value).toMatchObject({ data: { updates: { name: 'one', seenBy: 'A' } } });

    // The backed-up reader drained: once it waits again, the next event is pushed.
    backedUp.output.full = false;
    void backedUp.stream.next();
    feed.publish({ name: 'two' });
    expect(backedUp.output.payloads).toEqual([{ data: { updates: { name: 'two', seenBy: 'A' } } }]);
    // The others were not waiting: theirs is queued for their next read.
    expect((await broken.stream.next()).value).toMatchObject({ data: { updates: { name: 'two', broken: null } } });
  });

  it('offers no fast path for a source that cannot push', async () => {
    setUp();
    const args = { schema, document: parse(NAMED), contextValue: { viewer: { keyId: 'k', accountId: 'A', scopes: ['read'], operator: false } } };
    await sharedEventSubscribe(subscribe as never)(args);
    expect(attachResultWriter(args, writer())).toBeUndefined();
  });
});
