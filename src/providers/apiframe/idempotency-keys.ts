import { createHash } from 'node:crypto';

/**
 * Idempotency keys for Apiframe's `POST /v2/images/generate` ("Replaying the same key within 24
 * hours returns the original job rather than creating a duplicate").
 *
 * A key is derived from the call itself (body, Pictor's seed, the job's index in the call), so a
 * retry of the same call after a lost answer finds the job it already started instead of paying
 * for a second one, while two different calls never share a key: Pictor picks a fresh seed per job
 * unless the client fixed one, and with a fixed seed the same picture is what was asked for.
 *
 * A replayed key also replays a failure, so once a job ends FAILED its key moves to the next
 * generation: the next attempt starts a new job. Generations live in memory; another worker
 * replays the failed job once, sees it fail, and moves on the same way.
 */
export class IdempotencyKeys {
  private readonly generations = new Map<string, number>();

  /** The key for one upstream job. */
  keyFor(fingerprint: string): string {
    const generation = this.generations.get(fingerprint) ?? 0;
    return `pictor-${createHash('sha256').update(`${fingerprint}\n${generation}`).digest('hex')}`;
  }

  /** The job made under `fingerprint` failed: the next attempt must not replay it. */
  markFailed(fingerprint: string): void {
    // Bounded: forgetting an old entry only costs one replayed failure.
    if (this.generations.size > 10_000) this.generations.clear();
    this.generations.set(fingerprint, (this.generations.get(fingerprint) ?? 0) + 1);
  }
}

/** A stable fingerprint of a job: what is sent, plus what makes two calls different. */
export function jobFingerprint(body: unknown, seed: number, index: number): string {
  return createHash('sha256').update(JSON.stringify({ body, seed, index })).digest('hex');
}
