import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

/**
 * compose.yaml as `docker compose` reads it: merge keys resolved and `${VAR:-default}` /
 * `${VAR:?message}` interpolated from the operator's shell. Every Pictor service's environment
 * must be a configuration the server accepts, or the stack starts and its processes exit at once.
 */

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
}

function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, operator: string | undefined, argument: string | undefined) => {
    const set = shell[name];
    if (set) return set;
    if (operator === ':?') throw new Error(`compose refuses to start: ${name}: ${argument}`);
    return operator === ':-' ? (argument ?? '') : '';
  });
}

async function pictorServices(shell: Record<string, string>): Promise<Record<string, Record<string, string>>> {
  const compose = parse(await readFile(new URL('../../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const environments: Record<string, Record<string, string>> = {};
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.image !== 'pictor:local') continue;
    environments[name] = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), shell)]));
  }
  return environments;
}

describe('compose.yaml', () => {
  it('gives every Pictor process (one api, the workers) a production configuration the server accepts', async () => {
    const services = await pictorServices({ PICTOR_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(Object.keys(services).sort()).toEqual(['api', 'worker']);
    for (const [name, environment] of Object.entries(services)) {
      // The image sets these (Dockerfile ENV); compose adds the rest.
      const config = loadConfig({ HOST: '0.0.0.0', PORT: '4000', DATA_DIR: '/data', ...environment });
      expect(config.development, name).toBe(false);
      expect(config.role).toBe(name);
      expect(config.publicUrl).toBe('http://localhost:4000');
    }
  });

  it('refuses to start without a secrets key instead of starting processes that exit', async () => {
    await expect(pictorServices({})).rejects.toThrow(/PICTOR_SECRETS_KEY/);
  });
});
