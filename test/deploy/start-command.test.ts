import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/**
 * The container runs Pictor exactly as `npm start` does, heap settings included (README,
 * "Configuration"): a 64 MB young generation keeps major garbage collections out of live updates.
 */
describe('the start command', () => {
  it('is the same node command, with the same heap flags, for npm start and the container image', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const dockerfile = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const command = dockerfile
      .split('\n')
      .filter((line) => line.startsWith('CMD '))
      .at(-1);
    expect(manifest.scripts.start).toBe('node --max-semi-space-size=64 --import tsx src/main.ts');
    expect(JSON.parse(command!.slice('CMD '.length))).toEqual(manifest.scripts.start.split(' '));
  });
});
