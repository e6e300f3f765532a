import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalEngineConfig } from '../../config.js';
import { PictorError, ProviderError } from '../../errors.js';
import type { EngineMessage, EngineOutput, EngineProgress, EngineRequest, EngineTask } from './engine-protocol.js';

/**
 * Runs local engine tasks (background removal, vectorization) in child processes, so the API's
 * event loop (GraphQL, subscriptions, the job loop) never waits for pixels.
 *
 * Processes rather than worker threads: onnxruntime-node 1.17's binding registers itself once per
 * process, so after one thread that loaded it is stopped no other thread can load it again
 * ("Module did not self-register"); a killed process also stops a native ONNX run at once, frees
 * its memory at once, and a native crash cannot take the API down.
 *
 * - At most `concurrency` tasks run at once, each in its own process; processes are reused (they
 *   keep loaded models) and stopped after `idleMs` without work.
 * - Each task comes with an estimate of its peak memory. A task starts only while the estimates
 *   of the running tasks plus its own fit in `memoryMb`; until then it waits in line (first come,
 *   first served, so a large task is not overtaken forever). A task larger than the whole budget
 *   is refused at once.
 * - Abort kills the task's process (SIGKILL); its slot is free once the process has exited.
 */
export class LocalEnginePool {
  private readonly queue: Waiting[] = [];
  private readonly idle: EngineProcess[] = [];
  private readonly busy = new Set<EngineProcess>();
  private running = 0;
  private reservedMb = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly limits: LocalEngineConfig,
    private readonly entry: EngineEntry = defaultEngineEntry(),
  ) {}

  /** onnxruntime threads per task: the machine's cores shared between concurrent tasks. */
  get threadsPerTask(): number {
    return Math.max(1, Math.floor(os.availableParallelism() / this.limits.concurrency));
  }

  /** What the pool is doing now (benchmarks, metrics), with the pids of its engine processes. */
  get stats(): { running: number; queued: number; reservedMb: number; busyPids: number[]; idlePids: number[] } {
    const pids = (engines: Iterable<EngineProcess>) => [...engines].map((engine) => engine.pid);
    return { running: this.running, queued: this.queue.length, reservedMb: this.reservedMb, busyPids: pids(this.busy), idlePids: pids(this.idle) };
  }

  /**
   * Runs one task. Rejects with the signal's reason when aborted (queued or running), with
   * LOCAL_ENGINE_MEMORY when the estimate exceeds the whole budget, or with the engine's error.
   */
  run(task: EngineTask, options: EngineRunOptions): Promise<EngineOutput> {
    if (options.signal.aborted) return Promise.reject(options.signal.reason);
    if (this.closed) return Promise.reject(new PictorError('LOCAL_ENGINE_CLOSED', 'The local engine pool is shut down', { retryable: true }));
    if (options.estimatedMb > this.limits.memoryMb) {
      return Promise.reject(
        new ProviderError(
          'LOCAL_ENGINE_MEMORY',
          `This image needs about ${Math.ceil(options.estimatedMb)} MB in the local engine, more than LOCAL_ENGINE_MEMORY_MB (${this.limits.memoryMb}); use a smaller image or raise the limit`,
        ),
      );
    }
    return new Promise<EngineOutput>((resolve, reject) => {
      const waiting: Waiting = {
        task,
        options,
        resolve,
        reject,
        onQueuedAbort: () => {
          const index = this.queue.indexOf(waiting);
          if (index < 0) return;
          this.queue.splice(index, 1);
          reject(options.signal.reason);
          // The head of the line may have changed.
          this.pump();
        },
      };
      options.signal.addEventListener('abort', waiting.onQueuedAbort, { once: true });
      this.queue.push(waiting);
      this.pump();
      if (this.queue.includes(waiting)) options.onProgress({ stage: 'queued', progress: 0 });
    });
  }

  /** Stops every engine process; queued and running tasks fail with LOCAL_ENGINE_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new PictorError('LOCAL_ENGINE_CLOSED', 'The local engine pool is shut down', { retryable: true });
    for (const waiting of this.queue.splice(0)) {
      waiting.options.signal.removeEventListener('abort', waiting.onQueuedAbort);
      waiting.reject(error);
    }
    const engines = [...this.idle.splice(0), ...this.busy];
    await Promise.all(engines.map((engine) => engine.stop(error)));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0];
      if (this.running >= this.limits.concurrency || this.reservedMb + head.options.estimatedMb > this.limits.memoryMb) return;
      this.queue.shift();
      head.options.signal.removeEventListener('abort', head.onQueuedAbort);
      this.start(head);
    }
  }

  private start(waiting: Waiting): void {
    const { signal, onProgress, estimatedMb } = waiting.options;
    this.running++;
    this.reservedMb += estimatedMb;
    const engine = this.takeIdleEngine() ?? new EngineProcess(this.entry);
    this.busy.add(engine);
    let settled = false;
    let released = false;
    const release = (reusable: boolean) => {
      if (released) return;
      released = true;
      this.busy.delete(engine);
      this.running--;
      this.reservedMb -= estimatedMb;
      if (reusable && !this.closed) this.park(engine);
      else void engine.stop();
      this.pump();
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      waiting.reject(signal.reason);
      void engine.stop().then(() => release(false));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    engine.run(
      { id: this.nextId++, task: waiting.task },
      {
        progress: (update) => {
          if (!settled) onProgress(update);
        },
        done: (output) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          waiting.resolve(output);
          release(true);
        },
        failed: (error, engineUsable) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) {
            settled = true;
            waiting.reject(error);
          }
          if (engineUsable) release(true);
          else void engine.stop().then(() => release(false));
        },
      },
    );
  }

  private takeIdleEngine(): EngineProcess | undefined {
    for (let engine = this.idle.pop(); engine; engine = this.idle.pop()) if (engine.alive) return engine;
    return undefined;
  }

  /** Keeps a process (and the models it loaded) for the next task, for `idleMs`. */
  private park(engine: EngineProcess): void {
    if (this.limits.idleMs === 0) return void engine.stop();
    this.idle.push(engine);
    engine.idleFor(this.limits.idleMs, () => {
      const index = this.idle.indexOf(engine);
      if (index >= 0) this.idle.splice(index, 1);
      void engine.stop();
    });
  }
}

export interface EngineRunOptions {
  readonly signal: AbortSignal;
  /** Stage updates and previews; never called after the task settled. */
  readonly onProgress: (update: EngineProgress) => void;
  /** Estimated peak memory of the task in MB, counted against the pool's budget while it runs. */
  readonly estimatedMb: number;
}

interface Waiting {
  readonly task: EngineTask;
  readonly options: EngineRunOptions;
  readonly resolve: (output: EngineOutput) => void;
  readonly reject: (error: unknown) => void;
  readonly onQueuedAbort: () => void;
}

/** The engine script and the node flags it needs. */
export interface EngineEntry {
  readonly modulePath: string;
  readonly execArgv: readonly string[];
}

/**
 * The engine script next to this file: `engine-process.js` when compiled; `engine-process.ts`
 * with tsx's loader when running from TypeScript sources (tsx, vitest).
 */
export function defaultEngineEntry(): EngineEntry {
  const fromSources = import.meta.url.endsWith('.ts');
  const modulePath = fileURLToPath(new URL(fromSources ? './engine-process.ts' : './engine-process.js', import.meta.url));
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { modulePath, execArgv: fromSources ? ['--import', loader] : [] };
}

interface TaskHandlers {
  progress(update: EngineProgress): void;
  done(output: EngineOutput): void;
  /** `engineUsable` is false when the process itself died. */
  failed(error: PictorError, engineUsable: boolean): void;
}

/** One engine child process running one task at a time. */
class EngineProcess {
  private readonly child: ChildProcess;
  private current: { id: number; handlers: TaskHandlers } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;
  /** False once the process has exited (crashed while idle, or stopped). */
  alive = true;

  constructor(entry: EngineEntry) {
    this.child = fork(entry.modulePath, [], { execArgv: [...entry.execArgv], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: EngineMessage) => this.receive(message));
    this.child.on('error', (error) => this.fail(new ProviderError('LOCAL_ENGINE_CRASHED', `Local engine process failed: ${error.message}`, { retryable: true, cause: error })));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.alive = false;
        clearTimeout(this.idleTimer);
        this.fail(new ProviderError('LOCAL_ENGINE_CRASHED', `Local engine process exited (${signal ?? `code ${code}`})`, { retryable: true }));
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  run(request: EngineRequest, handlers: TaskHandlers): void {
    clearTimeout(this.idleTimer);
    this.current = { id: request.id, handlers };
    // A running task keeps our process alive; an idle engine does not.
    this.child.ref();
    this.child.channel?.ref();
    this.child.send(request);
  }

  idleFor(ms: number, expire: () => void): void {
    this.current = undefined;
    this.child.unref();
    this.child.channel?.unref();
    this.idleTimer = setTimeout(expire, ms);
    this.idleTimer.unref();
  }

  /** Kills the process at once; a task still running fails with `error` (unless it settled already). */
  stop(error?: PictorError): Promise<void> {
    clearTimeout(this.idleTimer);
    if (error) this.fail(error);
    this.current = undefined;
    if (this.alive) {
      // Whoever awaits the exit must not see the process end first because an idle (unref'd)
      // child no longer keeps the event loop alive.
      this.child.ref();
      this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  private receive(message: EngineMessage): void {
    const current = this.current;
    if (!current || message.id !== current.id) return;
    switch (message.type) {
      case 'progress':
        current.handlers.progress({ stage: message.stage, progress: message.progress, ...(message.preview ? { preview: message.preview } : {}) });
        return;
      case 'done':
        this.current = undefined;
        current.handlers.done(message.output);
        return;
      case 'failed':
        this.current = undefined;
        current.handlers.failed(new ProviderError(message.code, message.message, { retryable: message.retryable }), true);
        return;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown engine message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private fail(error: PictorError): void {
    const current = this.current;
    this.current = undefined;
    current?.handlers.failed(error, false);
  }
}
