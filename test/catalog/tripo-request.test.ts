import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTripoGenerateImage, readTripoGenerateImage, type TripoRequest } from '../../src/catalog/rules/tripo-request.js';

/** Tripo's generate_image body (seed 004) read into a Pictor request, as the Tripo route does. */

const mediaId = '3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f';

function read(body: Record<string, unknown>): TripoRequest {
  const result = readTripoGenerateImage({ type: 'generate_image', prompt: 'a vase', ...body });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.request;
}

function problems(body: Record<string, unknown>) {
  const result = checkTripoGenerateImage({ type: 'generate_image', prompt: 'a vase', ...body });
  expect(result.ok).toBe(false);
  return (result as { issues: { path: string[]; message: string; code?: string }[] }).issues;
}

describe('model_version', () => {
  // Seed 004: "If not set, the default version will be used: flux.1_kontext_pro(default)".
  it("defaults to flux.1_kontext_pro, under Tripo's rules and price", () => {
    const request = read({});
    expect(request.modelVersion).toBe('flux.1_kontext_pro');
    expect(request.model.id).toBe('flux-kontext-pro');
    const checked = checkTripoGenerateImage({ type: 'generate_image', prompt: 'a vase' });
    expect(checked.ok && checked.prepared.price).toBe(5);
  });

  it("midjourney on the Tripo route is Tripo's midjourney", () => {
    expect(read({ model_version: 'midjourney' }).model.serviceRules).toMatchObject({ service: 'tripo', name: 'midjourney', credits: 10 });
  });

  it('accepts any Pictor model id too, and names the versions for an unknown one', () => {
    expect(read({ model_version: 'placeholder' }).model.id).toBe('placeholder');
    const [issue] = problems({ model_version: 'gpt_5' });
    expect(issue).toMatchObject({ path: ['model_version'], code: 'unknown_model' });
    expect(issue!.message).toContain('flux.1_kontext_pro, flux.1_dev, gpt_4o');
  });

  it('requires type generate_image and a prompt', () => {
    expect(problems({ type: 'text_to_model' })[0]).toMatchObject({ path: ['type'], message: 'type must be "generate_image"' });
    expect(checkTripoGenerateImage({ type: 'generate_image' }).ok).toBe(false);
    expect(checkTripoGenerateImage(null).ok).toBe(false);
    expect(checkTripoGenerateImage('x'.repeat(100_000)).ok).toBe(false);
  });
});

describe('file and files', () => {
  // Seed 004: "file_token: ... Mutually exclusive with url and object." "url: A direct URL to the image
  // ... Mutually exclusive with file_token and object." "object (Strongly Recommended): ... Mutually
  // exclusive with url and file_token. bucket: Normally it always will be tripo-data. key: The resource_uri".
  it('takes file_token (a Pictor media id), url and object {bucket, key}', () => {
    expect(read({ file: { type: 'png', file_token: mediaId } }).references).toEqual([{ mediaId }]);
    expect(read({ file: { type: 'jpg', url: 'https://example.com/a.jpg' } }).references).toEqual([{ url: 'https://example.com/a.jpg' }]);
    expect(read({ file: { object: { bucket: 'tripo-data', key: `media/acc/${mediaId}.png` } } }).references).toEqual([{ mediaId }]);
    expect(read({ file: { object: { bucket: 'pictor', key: mediaId.toUpperCase() } } }).references).toEqual([{ mediaId }]);
  });

  it('refuses two ways at once and none at all, naming the fields', () => {
    expect(problems({ file: { file_token: mediaId, url: 'https://example.com/a.jpg' } })).toEqual([
      { path: ['file'], message: 'file_token, url and object are mutually exclusive; got file_token and url', code: 'invalid_file' },
    ]);
    expect(problems({ files: [{ url: 'https://example.com/a.jpg' }, { type: 'png' }] })).toEqual([{ path: ['files', '1'], message: 'give one of file_token, url or object', code: 'invalid_file' }]);
    expect(problems({ file: { object: { bucket: 'someone-else', key: mediaId } } })[0]!.path).toEqual(['file', 'object', 'bucket']);
    expect(problems({ file: { object: { bucket: 'tripo-data', key: 'uploads/x.png' } } })[0]!.path).toEqual(['file', 'object', 'key']);
    expect(problems({ file: { url: 'file:///etc/passwd' } })[0]!.path).toEqual(['file', 'url']);
    expect(problems({ file: { file_token: 'tok_123' } })[0]!.path).toEqual(['file', 'file_token']);
    expect(problems({ file: { url: 'https://example.com/a.jpg' }, files: [{ url: 'https://example.com/b.jpg' }] })[0]!.path).toEqual(['files']);
  });

  // Seed 004: "For flux.1_kontext_pro, the max length of files is 4. For gpt_4o, gpt_image_2, and
  // gemini_2.5_flash_image_preview, the max length of files is 10."
  it.each([
    ['flux.1_kontext_pro', 4],
    ['gpt_4o', 10],
    ['gpt_image_2', 10],
    ['gemini_2.5_flash_image_preview', 10],
  ] as const)('%s takes %i files', (version, max) => {
    const files = (count: number) => Array.from({ length: count }, (_, index) => ({ url: `https://example.com/${index}.png` }));
    const checked = checkTripoGenerateImage({ type: 'generate_image', prompt: 'a vase', model_version: version, files: files(max) });
    expect(checked.ok).toBe(true);
    expect(problems({ model_version: version, files: files(max + 1) })[0]).toMatchObject({ path: ['files'], code: 'too_many_references' });
  });

  it('keeps the order of files, so image[N] in the prompt points where Tripo says', () => {
    const request = read({ model_version: 'gpt_4o', prompt: 'Use the style of image[1] with colors from image[2]', files: [{ url: 'https://example.com/1.png' }, { file_token: mediaId }] });
    expect(request.references).toEqual([{ url: 'https://example.com/1.png' }, { mediaId }]);
    expect(problems({ model_version: 'gpt_4o', prompt: 'colors from image[3]', files: [{ url: 'https://example.com/1.png' }] })[0]!.path).toEqual(['prompt']);
  });

  it('never throws on arbitrary bodies', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        const result = checkTripoGenerateImage(body);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('switches and prompt', () => {
  // Seed 004: "t_pose: A bool value ... The default value is false." "sketch_to_render: ... The default value is false."
  it('maps t_pose and sketch_to_render, both false by default', () => {
    const checked = checkTripoGenerateImage({ type: 'generate_image', prompt: 'a knight', model_version: 'gemini_2.5_flash_image_preview', t_pose: true });
    expect(checked.ok && checked.prepared.params).toMatchObject({ tPose: true, sketchToRender: false });
    expect(checked.ok && String(checked.prepared.params.prompt)).toMatch(/T-pose.*a knight$/);
    expect(problems({ sketch_to_render: true })[0]).toMatchObject({ path: ['sketch_to_render'] });
  });

  it('reports prompt rules at prompt, naming the character', () => {
    expect(problems({ prompt: 'a cat 😀' })[0]).toMatchObject({ path: ['prompt'], code: 'unsupported_characters' });
    expect(problems({ prompt: 'a cat 😀' })[0]!.message).toContain('U+1F600');
    expect(problems({ prompt: 'x'.repeat(1025) })[0]).toMatchObject({ path: ['prompt'], message: 'prompt must be at most 1024 characters (got 1025)' });
  });
});
