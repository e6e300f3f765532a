import { builder } from './builder.js';

/**
 * `interface Node { id: ID! }`: every object with an identity. Ids are not re-encoded: Pictor's
 * ids are UUIDs (unique across every table) or catalog ids, so the id a REST route or a webhook
 * shows is the id `node(id)` takes, and a client cache can key every object by `id` alone.
 */
export interface NodeShape {
  readonly id: string;
}

/** The GraphQL type of each object `node` loaded; the interface resolves its values by it. */
const loadedTypes = new WeakMap<object, string>();

/** Marks a value loaded by `node`/`nodes` as an instance of a GraphQL type. */
export function asNode<T extends object>(typeName: string, value: T): T {
  loadedTypes.set(value, typeName);
  return value;
}

export const NodeInterface = builder.interfaceRef<NodeShape>('Node').implement({
  description: 'An object with an identity: fetch it again, or refresh it in a client cache, with `node(id)`.',
  resolveType: (value) => {
    const typeName = loadedTypes.get(value);
    if (!typeName) throw new Error('a Node value must be loaded through asNode');
    return typeName;
  },
  fields: (t) => ({
    id: t.id({ description: 'Unique across every type: a UUID, or a catalog id for models.', resolve: (node) => node.id }),
  }),
});
