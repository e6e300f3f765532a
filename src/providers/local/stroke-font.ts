/**
 * A tiny single-stroke vector font for the placeholder engine. Text is drawn as SVG paths rather
 * than with system fonts so the output is byte-identical on every machine: a fresh container may
 * have no fonts at all, and fontconfig picks differ between hosts.
 *
 * Glyphs live on a grid 6 units tall (0 = cap line, 6 = baseline; commas dip below), letters 4
 * units wide. Each glyph is a list of strokes separated by `|`, each stroke a polyline of `x,y`
 * points. Lowercase letters are drawn as capitals; accents are dropped; anything else unknown
 * becomes a small box so the reader can still see something was there. `layoutText` wraps and
 * sizes a paragraph to fit a box.
 */

/** Height of a capital in font units; callers scale by `capHeight / GlyphHeight`. */
export const GlyphHeight = 6;
/** Gap between neighbouring glyphs, in font units. */
const LetterSpacing = 1.6;

interface Glyph {
  readonly width: number;
  readonly strokes: readonly (readonly [number, number])[][];
}

const oval = '1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0';
const dot = (x: number, y: number) => `${x},${y - 0.05} ${x},${y}`;

/** Source strokes; widths default to 4 when not given. */
const glyphSource: Record<string, string | [width: number, strokes: string]> = {
  A: '0,6 0,2 2,0 4,2 4,6|0,3.6 4,3.6',
  B: '0,3 3,3 4,4 4,5 3,6 0,6 0,0 3,0 4,1 4,2 3,3',
  C: '4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5',
  D: '0,0 0,6 2.5,6 4,4.5 4,1.5 2.5,0 0,0',
  E: '4,0 0,0 0,6 4,6|0,3 3,3',
  F: '4,0 0,0 0,6|0,3 3,3',
  G: '4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,3.5 2.2,3.5',
  H: '0,0 0,6|4,0 4,6|0,3 4,3',
  I: [2, '0,0 2,0|1,0 1,6|0,6 2,6'],
  J: '4,0 4,5 3,6 1,6 0,5',
  K: '0,0 0,6|4,0 0,4|1.5,2.5 4,6',
  L: '0,0 0,6 4,6',
  M: [5, '0,6 0,0 2.5,3.5 5,0 5,6'],
  N: '0,6 0,0 4,6 4,0',
  O: oval,
  P: '0,6 0,0 3,0 4,1 4,2 3,3 0,3',
  Q: `${oval}|2.5,4.5 4.3,6.3`,
  R: '0,6 0,0 3,0 4,1 4,2 3,3 0,3|2,3 4,6',
  S: '4,1 3,0 1,0 0,1 0,2 1,3 3,3 4,4 4,5 3,6 1,6 0,5',
  T: '0,0 4,0|2,0 2,6',
  U: '0,0 0,5 1,6 3,6 4,5 4,0',
  V: '0,0 2,6 4,0',
  W: [5, '0,0 1.2,6 2.5,2.5 3.8,6 5,0'],
  X: '0,0 4,6|4,0 0,6',
  Y: '0,0 2,3 4,0|2,3 2,6',
  Z: '0,0 4,0 0,6 4,6',
  '0': `${oval}|3.6,0.8 0.4,5.2`,
  '1': [3, '0.5,1 2,0 2,6|0.5,6 3,6'],
  '2': '0,1 1,0 3,0 4,1 4,2 0,6 4,6',
  '3': '0,1 1,0 3,0 4,1 4,2 3,3 1.5,3|3,3 4,4 4,5 3,6 1,6 0,5',
  '4': '3,6 3,0 0,4 4,4',
  '5': '4,0 0,0 0,3 3,3 4,4 4,5 3,6 1,6 0,5',
  '6': '4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,4 3,3 0,3',
  '7': '0,0 4,0 1.5,6',
  '8': '1,3 0,2 0,1 1,0 3,0 4,1 4,2 3,3 1,3 0,4 0,5 1,6 3,6 4,5 4,4 3,3',
  '9': '0,5 1,6 3,6 4,5 4,1 3,0 1,0 0,1 0,2 1,3 4,3',
  ' ': [2.4, ''],
  '.': [0, dot(0, 6)],
  ',': [0.6, '0.6,5.4 0.6,6 0,7'],
  ':': [0, `${dot(0, 2)}|${dot(0, 6)}`],
  ';': [0.6, `${dot(0.6, 2)}|0.6,5.4 0.6,6 0,7`],
  '!': [0, `0,0 0,4|${dot(0, 6)}`],
  '?': `0,1 1,0 3,0 4,1 4,2 2,3.5 2,4.2|${dot(2, 6)}`,
  "'": [0, '0,0 0,1.6'],
  '"': [1.4, '0,0 0,1.6|1.4,0 1.4,1.6'],
  '-': [3, '0,3 3,3'],
  '+': '0,3 4,3|2,1 2,5',
  '=': '0,2 4,2|0,4 4,4',
  '*': '2,1 2,5|0.3,2 3.7,4|3.7,2 0.3,4',
  '/': '0,6 4,0',
  '\\': '0,0 4,6',
  _: '0,6 4,6',
  '(': [1.5, '1.5,0 0,1.5 0,4.5 1.5,6'],
  ')': [1.5, '0,0 1.5,1.5 1.5,4.5 0,6'],
  '[': [1.5, '1.5,0 0,0 0,6 1.5,6'],
  ']': [1.5, '0,0 1.5,0 1.5,6 0,6'],
  '<': [3, '3,1 0,3 3,5'],
  '>': [3, '0,1 3,3 0,5'],
  '#': '1.5,0 0.5,6|3.5,0 2.5,6|0,2 4,2|0,4 4,4',
  '%': '0,0 1.4,0 1.4,1.8 0,1.8 0,0|2.6,4.2 4,4.2 4,6 2.6,6 2.6,4.2|4,0 0,6',
  '&': '4,6 1,2 1,1 2,0 3,1 3,2 0,4 0,5 1,6 2,6 4,3.5',
  '@': '3,4 3,2 1.5,2 1,3 1.5,4 4,4 4,1 3,0 1,0 0,1 0,5 1,6 4,6',
  $: '4,1 3,0.5 1,0.5 0,1.5 1,3 3,3 4,4.5 3,5.5 1,5.5 0,5|2,-0.5 2,6.5',
};

/** Drawn for characters the font lacks. */
const missingGlyph = parse(3, '0,1.5 3,1.5 3,6 0,6 0,1.5');

function parse(width: number, source: string): Glyph {
  const strokes = source
    .split('|')
    .filter((stroke) => stroke.length > 0)
    .map((stroke) => stroke.split(' ').map((point) => point.split(',').map(Number) as [number, number]));
  return { width, strokes };
}

const glyphs = new Map<string, Glyph>(
  Object.entries(glyphSource).map(([character, source]) => (typeof source === 'string' ? [character, parse(4, source)] : [character, parse(source[0], source[1])])),
);

/** Typographic look-alikes mapped onto characters the font has. */
const substitutes: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00B7': '.',
};

/**
 * Reduces text to what the font can draw: capitals, accents stripped (`é` becomes `E`), curly
 * quotes straightened, runs of whitespace collapsed to one space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u201C\u201D\u2013\u2014\u2026\u00B7]/g, (character) => substitutes[character])
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function glyphFor(character: string): Glyph {
  return glyphs.get(character) ?? missingGlyph;
}

/** Width of a run of (normalized) text in font units, without trailing spacing. */
export function measureText(text: string): number {
  let width = 0;
  for (const character of text) width += glyphFor(character).width + LetterSpacing;
  return Math.max(0, width - LetterSpacing);
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * SVG path data drawing `text` with its top-left corner at (x, y), each font unit `unit` pixels.
 * The caller strokes the path (round caps and joins look best); it has no fill.
 */
export function textPathData(text: string, x: number, y: number, unit: number): string {
  const commands: string[] = [];
  let cursor = 0;
  for (const character of text) {
    const glyph = glyphFor(character);
    for (const stroke of glyph.strokes) {
      const points = stroke.map(([pointX, pointY]) => `${round(x + (cursor + pointX) * unit)} ${round(y + pointY * unit)}`);
      commands.push(`M${points.join('L')}`);
    }
    cursor += glyph.width + LetterSpacing;
  }
  return commands.join('');
}

/** Line pitch in font units: a capital plus the gap to the next line. */
export const LinePitch = GlyphHeight + 3.6;

/** Greedy word wrap; words longer than a line are cut into line-sized pieces. */
function wrap(text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (measureText(word) > maxWidth && word.length > 1) {
      let cut = word.length - 1;
      while (cut > 1 && measureText(word.slice(0, cut)) > maxWidth) cut--;
      if (line) lines.push(line);
      lines.push(word.slice(0, cut));
      line = '';
      word = word.slice(cut);
    }
    const candidate = line ? `${line} ${word}` : word;
    if (measureText(candidate) <= maxWidth) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Wrapped lines and the scale that lets them fit a box; `width` and `height` in pixels. */
export interface TextLayout {
  readonly lines: readonly string[];
  /** Pixels per font unit. */
  readonly unit: number;
  readonly width: number;
  readonly height: number;
}

const blockHeight = (lineCount: number) => lineCount * LinePitch - (LinePitch - GlyphHeight);

/**
 * Wraps (normalized) text at the largest capital height, from `largest` down to `smallest`
 * pixels, at which it fits the box. Text too long even at `smallest` is cut with "...".
 */
export function layoutText(text: string, boxWidth: number, boxHeight: number, largest: number, smallest: number): TextLayout {
  const measured = (lines: string[], unit: number): TextLayout => ({
    lines,
    unit,
    width: Math.max(0, ...lines.map((line) => measureText(line))) * unit,
    height: blockHeight(lines.length) * unit,
  });
  for (let capHeight = largest; ; capHeight *= 0.92) {
    const unit = Math.max(capHeight, smallest) / GlyphHeight;
    const lines = wrap(text, boxWidth / unit);
    if (blockHeight(lines.length) <= boxHeight / unit) return measured(lines, unit);
    if (capHeight <= smallest) {
      const kept = lines.slice(0, Math.max(1, Math.floor((boxHeight / unit + LinePitch - GlyphHeight) / LinePitch)));
      let last = kept[kept.length - 1];
      while (last.length > 0 && measureText(`${last}...`) > boxWidth / unit) last = last.slice(0, -1);
      return measured([...kept.slice(0, -1), `${last.trimEnd()}...`], unit);
    }
  }
}
