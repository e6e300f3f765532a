import { createSourceEventStream, execute, GraphQLError, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LiveSink, Waker } from '../realtime/log-subscription.js';
import type { Context } from '../services.js';

/**
 * Subscription events executed once per event and operation, not once per subscriber.
 *
 * The hub hands the same event object to every subscriber it concerns. Subscribers whose
 * operation (document, operation name, variables) and viewer (account, scopes, operator) are the
 * same would compute the same result from it, so the first one to take the event executes it and
 * the others get that result. A different account, other scopes or another selection never share
 * a result. A shared result is as of the first delivery of the event: like `job`, which the hub
 * loads once per event when it reads the log.
 */

type Results = Map<string, Promise<ExecutionResult> | ExecutionResult>;

const resultsByEvent = new WeakMap<object, Results>();
const printedDocuments = new WeakMap<DocumentNode, string>();
/**
 * On each reader's copy of a shared result: the shared result it was copied from. A symbol key, not
 * a WeakMap (one entry per delivery would load the garbage collector): JSON and `Object.keys`
 * ignore it, and a copy a plugin makes of the copy is compared field by field anyway.
 */
const SHARED_ORIGIN = Symbol('shared result');
type ReaderCopy = ExecutionResult & { [SHARED_ORIGIN]?: ExecutionResult };
/** A shared result's JSON text (a `next` payload), written once for all its readers. */
const sharedTexts = new WeakMap<ExecutionResult, string>();

/**
 * Event executions, results handed to another subscriber, shared results written as JSON, and
 * results written straight to a reader's socket by the hub's fan-out (no iterator step), since the
 * process started.
 */
export const sharedEventStats = { executions: 0, reused: 0, serialisations: 0, pushed: 0 };

function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) printedDocuments.set(document, (text = print(document)));
  return text;
}

/** Distinct sharing keys kept by `interned`; past it the table starts over. */
const INTERNED_KEYS = 4_096;
const internedKeys = new Map<string, string>();

/**
 * One string for equal sharing keys: a key holds the whole query text, and every subscription
 * keeps its key. Subscribers of one account and operation then keep one copy between them. When
 * the table is full it starts over: keys made after that are equal but separate strings, which
 * costs memory, never a wrong result (keys are compared by value).
 */
function interned(key: string): string {
  const known = internedKeys.get(key);
  if (known !== undefined) return known;
  if (internedKeys.size >= INTERNED_KEYS) internedKeys.clear();
  internedKeys.set(key, key);
  return key;
}

/** What decides a result: the operation and who asks. `undefined`: never shared (no viewer). */
export function sharingKey(args: ExecutionArgs): string | undefined {
  const viewer = (args.contextValue as Partial<Context> | undefined)?.viewer;
  if (!viewer) return undefined;
  const scopes = [...viewer.scopes].sort();
  return interned(JSON.stringify([printed(args.document), args.operationName ?? null, args.variableValues ?? null, viewer.accountId, viewer.operator, scopes]));
}

/**
 * The context for one run of the executor: a shallow copy. Libraries cache per context object
 * (Pothos' scope-auth keeps seven maps per context); with a copy per run those caches live as long
 * as the run, not as long as an idle subscription.
 */
function contextForRun(context: unknown): unknown {
  return typeof context === 'object' && context !== null ? { ...context } : context;
}

function executeShared(args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> | ExecutionResult {
  const shareable = typeof event === 'object' && event !== null;
  const results = shareable ? resultsByEvent.get(event) : undefined;
  const cached = results?.get(key);
  if (cached) {
    sharedEventStats.reused++;
    return cached;
  }
  sharedEventStats.executions++;
  const result = execute({ ...args, contextValue: contextForRun(args.contextValue), rootValue: event });
  if (shareable) {
    const eventResults: Results = results ?? new Map();
    if (!results) resultsByEvent.set(event, eventResults);
    eventResults.set(key, result);
    // Later readers take the settled result as it is, without waiting a tick (and on the fast path).
    if ('then' in result)
      void result.then(
        (settled) => eventResults.set(key, settled),
        () => undefined,
      );
  }
  return result;
}

/** A result as a `next` message carries it (graphql-ws's shape: errors last, as JSON). */
export function resultPayloadText(result: ExecutionResult): string {
  const { errors, ...rest } = result;
  return JSON.stringify(errors ? { ...rest, errors: errors.map((error) => error.toJSON()) } : rest);
}

/**
 * The JSON text of a reader's result, shared with every reader of the same result: written once
 * per event and sharing key. Only a copy this module handed out whose fields are still exactly the
 * shared result's has one; a result a plugin replaced or changed for its reader is written for that
 * reader alone (`undefined` here), so one reader's fields never reach another reader.
 */
export function sharedResultText(result: ExecutionResult): string | undefined {
  const shared = (result as ReaderCopy)[SHARED_ORIGIN];
  if (shared === undefined || !sameFields(result, shared)) return undefined;
  return sharedPayloadText(shared);
}

/** The JSON text of a shared result (as it came from the executor), written once for all its readers. */
function sharedPayloadText(shared: ExecutionResult): string {
  let text = sharedTexts.get(shared);
  if (text === undefined) {
    sharedEventStats.serialisations++;
    sharedTexts.set(shared, (text = resultPayloadText(shared)));
  }
  return text;
}

function sameFields(copy: object, shared: object): boolean {
  const keys = Object.keys(copy);
  if (keys.length !== Object.keys(shared).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(shared, key) || (copy as Record<string, unknown>)[key] !== (shared as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** Errors of the source stream reach the reader located at the operation, as the executor does. */
function operationError(error: unknown, args: ExecutionArgs): GraphQLError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const operation = args.document.definitions.find((definition) => definition.kind === 'OperationDefinition');
  return new GraphQLError(cause.message, { originalError: cause, nodes: operation ? [operation] : undefined });
}

/**
 * Where a subscription's results can be written synchronously: the reader's socket. The fast path
 * of a fan-out writes a shared result's JSON through it without a step of the iterator chain.
 */
export interface ResultWriter {
  /** Writes a `next` message with this payload; `false` when the socket is backed up (nothing written). */
  writeNext(payloadText: string): boolean;
}

/**
 * A subscription whose reader can wait without a pending `next()` while live events reach its
 * writer directly (see `LogSubscription.idle` and `park`).
 */
export interface ParkingSpot {
  /** Whether the reader may park now: `next()` has nothing to do. */
  idle(): boolean;
  /** Waits until `next()` has something to do, then calls `reader.wake()` once. Only while `idle()`. */
  park(reader: Waker): void;
}

/** A source stream that can push live events to a sink (the hub's `LogSubscription`), and may let its reader park. */
interface PushSource extends Partial<ParkingSpot> {
  attachSink(sink: LiveSink<unknown>): void;
}

/** On the execution arguments of a subscription: its `EventResults`, for `attachResultWriter`. */
const EVENT_RESULTS = Symbol('event results');
type TaggedArgs = ExecutionArgs & { [EVENT_RESULTS]?: EventResults };

/**
 * Lets the source of the subscription started with `args` write its live events to `writer`
 * directly (see `EventResults.push`). Call it once the writer reads the results (everything the
 * source yields before still goes through the iterator, in order). The writer may then wait in the
 * returned parking spot instead of a pending `next()` while the source is idle. `undefined`: no
 * fast path for this subscription (another kind of source, or a subscription this module does not
 * map).
 */
export function attachResultWriter(args: ExecutionArgs, writer: ResultWriter): ParkingSpot | undefined {
  return (args as TaggedArgs)[EVENT_RESULTS]?.attach(writer);
}

/**
 * Maps the source stream to results. Written by hand, not as an async generator, so `return()`
 * reaches the source at once even while a `next()` waits for an event: an unsubscribing or
 * revoked reader is released immediately. A class, so an idle subscription holds no closures.
 */
class EventResults implements AsyncIterableIterator<ExecutionResult>, LiveSink<unknown>, ParkingSpot {
  private writer: ResultWriter | undefined;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly key: string,
    /** Applied to every error a reader gets (see `sharedEventSubscribe`). */
    private readonly maskError: MaskError | undefined,
  ) {}

  attach(writer: ResultWriter): ParkingSpot | undefined {
    const source = this.source as Partial<PushSource>;
    if (typeof source.attachSink !== 'function') return undefined;
    this.writer = writer;
    source.attachSink(this);
    return this;
  }

  /** A source that cannot park its reader is never idle: its reader waits in `next()`. */
  idle(): boolean {
    return (this.source as Partial<PushSource>).idle?.() ?? false;
  }

  park(reader: Waker): void {
    (this.source as Partial<PushSource>).park?.(reader);
  }

  /**
   * The fast path: a live event whose shared result is ready and has no errors is written as the
   * shared JSON text at once. That is the text `next()` would lead to: the only hook on
   * subscription results (yoga's error masking) rewrites results with errors and passes the others
   * unchanged. Anything else (a result still running, errors, a backed-up socket, anything thrown)
   * returns `false`, and the source queues the event for `next()`, which takes the usual way
   * through the plugins.
   */
  push(event: unknown): boolean {
    const writer = this.writer;
    if (writer === undefined) return false;
    try {
      const execution = executeShared(this.args, this.key, event);
      if ('then' in execution || execution.errors !== undefined || !writer.writeNext(sharedPayloadText(execution))) return false;
    } catch {
      // Not swallowed: `next()` meets the same error on the usual way and reports it to the reader.
      return false;
    }
    sharedEventStats.pushed++;
    return true;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    let step: IteratorResult<unknown>;
    try {
      step = await this.source.next();
    } catch (error) {
      const located = operationError(error, this.args);
      throw this.maskError ? this.maskError(located) : located;
    }
    if (step.done) return { value: undefined, done: true };
    // Each reader gets its own envelope: plugins may replace its fields, never another reader's.
    const execution = executeShared(this.args, this.key, step.value);
    // A result already there is taken without an extra tick (most readers of a shared result).
    const shared = 'then' in execution ? await execution : execution;
    const copy: ReaderCopy = { ...shared, [SHARED_ORIGIN]: shared };
    if (this.maskError && shared.errors) copy.errors = shared.errors.map(this.maskError);
    return { value: copy, done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}

type Subscribe = (args: ExecutionArgs) => unknown;
/** What a client may see of an error (yoga's masking): for callers outside envelop's plugins. */
export type MaskError = (error: GraphQLError) => GraphQLError;

/**
 * `subscribe` with shared event results; operations without a viewer go to `subscribe` unchanged.
 * With `maskError`, the errors of the results and the errors thrown while reading them are masked
 * here, for a caller whose results do not pass through envelop's result hooks (`socketSubscribe`).
 */
export function sharedEventSubscribe(subscribe: Subscribe, maskError?: MaskError): Subscribe {
  return (args) => {
    const key = sharingKey(args);
    if (key === undefined) return subscribe(args);
    let source: ReturnType<typeof createSourceEventStream>;
    try {
      source = createSourceEventStream({ ...args, contextValue: contextForRun(args.contextValue) });
    } catch {
      // Arguments the executor refuses outright (not an operation, variables not an object).
      return subscribe(args);
    }
    return Promise.resolve(source).then((stream) => {
      if (Symbol.asyncIterator in stream) {
        const results = new EventResults(stream[Symbol.asyncIterator](), args, key, maskError);
        (args as TaggedArgs)[EVENT_RESULTS] = results;
        return results;
      }
      // Errors without a path are the request's (variables), raised before any resolver ran:
      // `subscribe` reports them in its own shape (BAD_USER_INPUT, HTTP 400).
      if (stream.errors?.every((error) => error.path === undefined)) return subscribe(args);
      return stream;
    });
  };
}

/** Envelop plugin: every subscription (WebSocket and SSE) executes each event once per sharing key. */
export function useSharedEventResults(): Plugin {
  return {
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(sharedEventSubscribe(subscribeFn as Subscribe) as typeof subscribeFn);
    },
  };
}
