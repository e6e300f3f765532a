/**
 * The one list of provider ids. Upstream providers come with the environment variables that
 * enable them: each is used only when its credential is set; `<PREFIX>_BASE_URL` overrides its
 * endpoint and `<PREFIX>_CONCURRENCY` caps calls in flight per worker process. Model routes
 * (catalog), the adapter registry (providers/registry.ts) and the `providers` query derive
 * their ids from here, so a provider added here and nowhere else fails the type check.
 */
export const ProviderEnv = {
  openai: { prefix: 'OPENAI', key: 'OPENAI_API_KEY' },
  gemini: { prefix: 'GEMINI', key: 'GEMINI_API_KEY' },
  bfl: { prefix: 'BFL', key: 'BFL_API_KEY' },
  fal: { prefix: 'FAL', key: 'FAL_API_KEY' },
  replicate: { prefix: 'REPLICATE', key: 'REPLICATE_API_TOKEN' },
  xai: { prefix: 'XAI', key: 'XAI_API_KEY' },
  openrouter: { prefix: 'OPENROUTER', key: 'OPENROUTER_API_KEY' },
  runware: { prefix: 'RUNWARE', key: 'RUNWARE_API_KEY' },
  apiframe: { prefix: 'APIFRAME', key: 'APIFRAME_API_KEY' },
} as const;
export type UpstreamProviderId = keyof typeof ProviderEnv;
export const UpstreamProviderIds = Object.keys(ProviderEnv) as readonly UpstreamProviderId[];

/** Engines on this machine (no credential); routes name them last. */
export const LocalProviderIds = ['placeholder', 'local-background-removal', 'local-vectorize'] as const;
/** Any engine a model route may name (`ImageProvider.id`). */
export type ProviderId = UpstreamProviderId | (typeof LocalProviderIds)[number];
