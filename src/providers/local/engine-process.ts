/**
 * Entry point of a local engine process (forked by LocalEnginePool with an IPC channel): runs one
 * task at a time as the pool sends them and reports progress, the output, or a failure. Engines
 * are imported on first use, so a process that only vectorizes never loads onnxruntime. The pool
 * kills the process to cancel a task; when the pool's process goes away, so does this one.
 */
import { coerceError } from '../../errors.js';
import type { EngineOutput, EngineProgress, EngineTask, EngineMessage, EngineRequest } from './engine-protocol.js';

if (!process.send) throw new Error('engine-process.ts runs as a child of LocalEnginePool (it needs an IPC channel)');

const send = (message: EngineMessage) => void process.send!(message);

async function runTask(task: EngineTask, report: (update: EngineProgress) => void): Promise<EngineOutput> {
  switch (task.kind) {
    case 'remove-background':
      return (await import('./isnet.js')).removeBackground(task, report);
    case 'vectorize':
      return (await import('./vtracer.js')).vectorize(task, report);
    default: {
      const unknown: never = task;
      throw new Error(`Unknown engine task ${(unknown as { kind: string }).kind}`);
    }
  }
}

process.on('message', (request: EngineRequest) => {
  const report = (update: EngineProgress) => send({ type: 'progress', id: request.id, ...update });
  runTask(request.task, report).then(
    (output) => send({ type: 'done', id: request.id, output }),
    (thrown: unknown) => {
      const error = coerceError(thrown);
      send({ type: 'failed', id: request.id, code: error.code, message: error.message, retryable: error.retryable });
    },
  );
});

// An orphan would hold a loaded model forever.
process.on('disconnect', () => process.exit(0));
