import type { Authenticator, Viewer } from './accounts/api-keys.js';
import type { RateLimiter } from './accounts/rate-limit.js';
import type { SecretBox } from './webhooks/secret-box.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { ImageProvider } from './providers/spec.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { BlobStore } from './storage/blob-store.js';
import type { UrlSigner } from './storage/signed-urls.js';
import type { Log } from './log.js';
import type { JobSubmitter } from './jobs/submit.js';

/** Everything request handlers need, built once by `buildApp` and passed down (no singletons). */
export interface Services {
  readonly config: Config;
  readonly database: Database;
  readonly store: BlobStore;
  readonly signer: UrlSigner;
  /** Engines configured in this deployment, by provider id. */
  readonly providers: ReadonlyMap<string, ImageProvider>;
  /** Present in processes that serve the API. */
  readonly hub: RealtimeHub;
  readonly log: Log;
  /** API key lookups (cached briefly; revocations invalidate at once). */
  readonly authenticator: Authenticator;
  /** Counts operations against each key's per-minute budget (see RateLimiter). */
  readonly rateLimiter: RateLimiter;
  /** Seals and opens secrets stored in the database (webhook signing secrets). */
  readonly secretBox: SecretBox;
  /** Writes submissions made outside a transaction, batching concurrent ones (group commit). */
  readonly submitter: JobSubmitter;
}

export type { Viewer } from './accounts/api-keys.js';

export interface Context {
  readonly viewer: Viewer | null;
  readonly services: Services;
  /** The `Idempotency-Key` HTTP header, when sent (the input field takes precedence). */
  readonly idempotencyKey?: string | null;
}
