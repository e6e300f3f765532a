import type { ObjectRef } from '@pothos/core';
import { builder, type PictorSchemaTypes } from './builder.js';

/**
 * The one connection shape of every list that pages (Relay's cursor connections): `edges { cursor
 * node }`, `nodes` for clients that need no cursors, and `pageInfo`. Lists page forwards with
 * `first` and `after`; each cursor is opaque and belongs to its own connection.
 */
export interface Page<T> {
  /** The page's items in order. */
  readonly items: readonly T[];
  /** Whether items follow the last one of this page. */
  readonly hasNextPage: boolean;
  /** Whether items precede the first one: true on every page after the first (it was asked for with `after`). */
  readonly hasPreviousPage: boolean;
  /** The cursor that resumes the list after an item. */
  readonly cursorOf: (item: T) => string;
}

interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

/** A page from a list query's items and whether more follow; `after` is the argument it was asked with. */
export function pageOf<T>(items: readonly T[], hasNextPage: boolean, after: unknown, cursorOf: (item: T) => string): Page<T> {
  return { items, hasNextPage, hasPreviousPage: after != null, cursorOf };
}

const PageInfoType = builder.objectRef<Page<unknown>>('PageInfo').implement({
  description: 'Where a page of a connection sits in the whole list.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'Whether another page follows: ask for it with `after: endCursor`.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'Whether items precede this page (true on every page asked for with `after`).' }),
    startCursor: t.string({ nullable: true, description: 'Cursor of the first edge; null on an empty page.', resolve: (page) => (page.items.length ? page.cursorOf(page.items[0]) : null) }),
    endCursor: t.string({ nullable: true, description: 'Cursor of the last edge; null on an empty page.', resolve: (page) => (page.items.length ? page.cursorOf(page.items.at(-1)) : null) }),
  }),
});

/** Declares `<name>Connection` and `<name>Edge` over an object type. */
export function connectionType<T>(name: string, nodeType: ObjectRef<PictorSchemaTypes, T>, description: string) {
  const EdgeType = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    description: `One ${name} of a page, with the cursor that resumes the list after it.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: `Pass as \`after\` to continue after this ${name}.` }),
      node: t.field({ type: nodeType, description: `The ${name}.`, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    description,
    fields: (t) => ({
      edges: t.field({ type: [EdgeType], description: 'The page, each item with its cursor.', resolve: (page) => page.items.map((node) => ({ cursor: page.cursorOf(node), node })) }),
      nodes: t.field({ type: [nodeType], description: 'The page without cursors.', resolve: (page) => [...page.items] }),
      pageInfo: t.field({ type: PageInfoType, description: 'Whether more pages follow or precede, and the cursors of this one.', resolve: (page) => page as Page<unknown> }),
    }),
  });
}
