/**
 * vtracer's SVG, checked and re-written before anyone can fetch it. vtracer only emits `<path>`
 * elements with `d`, `fill` and `transform`; this module asserts exactly that, value by value,
 * and rebuilds the document from the parsed values, so nothing else (scripts, event handlers,
 * links, styles, entities, foreign content) can reach a browser even if a future vtracer version
 * or a bug emitted it. It also adds a `viewBox`, so the picture scales when displayed at
 * another size.
 */
import { PictorError } from '../../errors.js';

/** Path data: commands, numbers, separators. No letters outside the SVG path commands. */
const PathData = /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*$/;
const Fill = /^#[0-9A-Fa-f]{6}$/;
const NumberPattern = '-?\\d+(?:\\.\\d+)?';
const Transform = new RegExp(`^translate\\(${NumberPattern}(?:[ ,]${NumberPattern})?\\)$`);
const Dimension = /^\d{1,6}$/;

/** One start or empty-element tag with double-quoted attributes, or an end tag. */
const Tag = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z:-]+="[^"<>&]*")*)\s*(\/?)>/y;
const Attribute = /([A-Za-z:-]+)="([^"]*)"/g;

interface TracedPath {
  readonly d: string;
  readonly fill: string;
  readonly transform?: string;
}

function refuse(what: string): never {
  throw new PictorError('INVALID_OUTPUT', `vtracer produced unexpected SVG content (${what})`, { retryable: false });
}

function attributesOf(text: string, allowed: readonly string[]): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, value] of text.matchAll(Attribute)) {
    if (!allowed.includes(name)) refuse(`attribute ${name}`);
    attributes.set(name, value);
  }
  return attributes;
}

/**
 * Parses vtracer output and returns an equivalent SVG made only of paths, with width, height and
 * viewBox equal to the traced picture's size. Throws INVALID_OUTPUT on anything unexpected.
 */
export function sanitizeTracedSvg(svg: string, expected: { width: number; height: number }): string {
  // The XML declaration and vtracer's generator comment carry nothing we keep.
  let position = 0;
  const skip = (pattern: RegExp) => {
    pattern.lastIndex = position;
    const match = pattern.exec(svg);
    if (match) position = pattern.lastIndex;
    return match;
  };
  const whitespace = /\s*/y;
  skip(whitespace);
  skip(/<\?xml[^<>]*\?>/y);
  skip(whitespace);
  while (skip(/<!--(?:(?!--)[^<>])*-->/y)) skip(whitespace);

  const root = skip(Tag);
  if (!root || root[1] || root[2] !== 'svg' || root[4]) refuse('root element');
  const rootAttributes = attributesOf(root[3], ['version', 'xmlns', 'width', 'height']);
  const width = rootAttributes.get('width') ?? '';
  const height = rootAttributes.get('height') ?? '';
  if (!Dimension.test(width) || !Dimension.test(height)) refuse('size');
  if (Number(width) !== expected.width || Number(height) !== expected.height) refuse(`size ${width}x${height}, expected ${expected.width}x${expected.height}`);

  const paths: TracedPath[] = [];
  for (;;) {
    skip(whitespace);
    const tag = skip(Tag);
    if (!tag) refuse('text or markup between elements');
    if (tag[1]) {
      if (tag[2] !== 'svg') refuse(`end tag ${tag[2]}`);
      break;
    }
    if (tag[2] !== 'path' || !tag[4]) refuse(`element ${tag[2]}`);
    const attributes = attributesOf(tag[3], ['d', 'fill', 'transform']);
    const d = attributes.get('d') ?? '';
    const fill = attributes.get('fill') ?? '';
    const transform = attributes.get('transform');
    if (!PathData.test(d)) refuse('path data');
    if (!Fill.test(fill)) refuse('fill');
    if (transform !== undefined && !Transform.test(transform)) refuse('transform');
    paths.push({ d: d.trim(), fill, ...(transform ? { transform } : {}) });
  }
  skip(whitespace);
  if (position !== svg.length) refuse('content after the root element');

  const body = paths.map((path) => `<path d="${path.d}" fill="${path.fill}"${path.transform ? ` transform="${path.transform}"` : ''}/>`).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${body}\n</svg>\n`;
}
