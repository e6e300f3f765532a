import fc from 'fast-check';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rootFieldCount } from '../../src/http/operation-cost.js';

/**
 * The rate limit counts a request's root fields; the count is remembered per parsed document and
 * operation name. A remembered count must be the one a fresh document gives, whatever the order
 * and number of operation names a client sends.
 */
const Documents = [
  '{ models { id } viewer { balance } }',
  'query A { a: models { id } b: models { id } } query B { viewer { balance } __typename }',
  'query A { ...F ...F } query B { models { id } } fragment F on Query { x: models { id } y: viewer { balance } }',
  'mutation M { a: generateImage(input: $i) { __typename } b: generateImage(input: $i) { __typename } } query Q { __typename }',
];

describe('rootFieldCount', () => {
  it('gives the count of a fresh document for every operation name, remembered or not', () => {
    const parsed = Documents.map((text) => parse(text));
    const names = fc.oneof(fc.constantFrom(null, undefined, 'A', 'B', 'M', 'Q', ''), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(Documents.length - 1), names), { minLength: 1, maxLength: 60 }), (requests) => {
        for (const [index, name] of requests) {
          expect(rootFieldCount(parsed[index]!, name), `${Documents[index]} / ${String(name)}`).toBe(rootFieldCount(parse(Documents[index]!), name));
        }
      }),
      { numRuns: 300 },
    );
    expect([rootFieldCount(parsed[1]!, 'A'), rootFieldCount(parsed[1]!, 'B'), rootFieldCount(parsed[2]!, 'A'), rootFieldCount(parsed[3]!, 'Q')]).toEqual([2, 1, 2, 1]);
  });
});
