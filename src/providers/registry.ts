import type { Config } from '../config.js';
import { PlaceholderProvider } from './local/placeholder.js';
import type { ImageProvider } from './spec.js';

/** The engines this deployment can use, by provider id. Upstream providers join when configured. */
export function createProviders(_config: Config): Map<string, ImageProvider> {
  const providers: ImageProvider[] = [new PlaceholderProvider()];
  return new Map(providers.map((provider) => [provider.id, provider]));
}
