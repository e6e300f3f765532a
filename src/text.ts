/**
 * Text PostgreSQL cannot store: a NUL byte (refused by text and jsonb) or an unpaired UTF-16
 * surrogate (not valid Unicode, so not valid UTF-8). Every place that refuses such text uses this.
 */
export const LoneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const UnstorableText = new RegExp(`\\u0000|${LoneSurrogate.source}`);

/** Why `value` cannot be stored, or undefined when it can. */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL byte';
  if (LoneSurrogate.test(value)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return undefined;
}
