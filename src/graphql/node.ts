import { findAccounts } from '../accounts/accounts.js';
import { findApiKeys } from '../accounts/api-keys.js';
import { models } from '../catalog/index.js';
import { styles } from '../catalog/rules/styles.js';
import { findImagesForAccount, findJobsForAccount } from '../jobs/queries.js';
import { findMediaByIds } from '../media/records.js';
import type { Context, Viewer } from '../services.js';
import { findDeliveries } from '../webhooks/deliveries.js';
import { findAccountWebhookEndpoints } from '../webhooks/endpoints.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { badUserInput } from './errors.js';
import { isUuid } from './job.js';
import { asNode, NodeInterface, type NodeShape } from './node-interface.js';

/**
 * `node(id)` and `nodes(ids)`: any object by its id, across types, within what the key in use may
 * read through the other fields. Another account's object, an object the key's scopes do not
 * reach and an id that names nothing all give the same null.
 */

/** Most ids `nodes` takes at once. */
export const MaxNodeIds = 100;

type Loader = (context: Context, viewer: Viewer, ids: string[]) => Promise<readonly NodeShape[]>;

/** Each node type with the rule for who sees it and how its rows are found (uuid ids only). */
const RowLoaders: Record<string, Loader> = {
  Job: async (context, viewer, ids) => (viewer.scopes.includes('read') ? findJobsForAccount(context.services.database.sql, viewer.accountId, ids) : []),
  Image: async (context, viewer, ids) => (viewer.scopes.includes('read') ? findImagesForAccount(context.services.database.sql, viewer.accountId, ids) : []),
  Media: async (context, viewer, ids) => (viewer.scopes.includes('read') ? findMediaByIds(context.services.database.sql, viewer.accountId, ids) : []),
  WebhookEndpoint: async (context, viewer, ids) => (viewer.scopes.includes('read') ? findAccountWebhookEndpoints(context.services.database.sql, viewer.accountId, ids) : []),
  WebhookDelivery: async (context, viewer, ids) => (viewer.scopes.includes('read') ? findDeliveries(context.services.database.sql, viewer.accountId, ids) : []),
  // Operators see every account's keys (`Account.apiKeys`); admin keys their own account's.
  ApiKey: async (context, viewer, ids) => {
    if (viewer.operator) return findApiKeys(context.services.database.sql, ids, null);
    return viewer.scopes.includes('admin') ? findApiKeys(context.services.database.sql, ids, viewer.accountId) : [];
  },
  Account: async (context, viewer, ids) => (viewer.operator ? findAccounts(context.services.database.sql, ids) : []),
  Style: async (_context, _viewer, ids) => styles.filter((style) => ids.includes(style.id)),
};

/** The objects the ids name, in the order asked, null where the viewer may see nothing. */
async function loadNodes(context: Context, ids: readonly string[]): Promise<(NodeShape | null)[]> {
  const viewer = viewerOf(context);
  const found = new Map<string, NodeShape>();
  const uuids = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (uuids.length > 0) {
    const loaded = await Promise.all(Object.entries(RowLoaders).map(async ([typeName, load]) => ({ typeName, rows: await load(context, viewer, uuids) })));
    for (const { typeName, rows } of loaded) for (const row of rows) found.set(row.id, asNode(typeName, row));
  }
  // Models are named by their canonical id only: an alias names the model but is not its id.
  for (const model of models) if (ids.includes(model.id)) found.set(model.id, asNode('Model', model));
  return ids.map((id) => found.get(isUuid(id) ? id.toLowerCase() : id) ?? null);
}

builder.queryFields((t) => ({
  node: t.field({
    authScopes: { authenticated: true },
    type: NodeInterface,
    nullable: true,
    description: 'Any object by its `id` (a job, image, media, webhook endpoint or delivery, API key, account, model or style); null when it does not exist or the key in use may not see it.',
    args: { id: t.arg.id({ required: true, description: 'The `id` of any type implementing Node.' }) },
    resolve: async (_root, args, context) => (await loadNodes(context, [String(args.id)]))[0] ?? null,
  }),
  nodes: t.field({
    authScopes: { authenticated: true },
    type: [NodeInterface],
    nullable: { list: false, items: true },
    description: `Objects by their ids, in the order given (at most ${MaxNodeIds}); null for each id \`node\` would answer null.`,
    args: { ids: t.arg.idList({ required: true, description: 'Ids of objects implementing Node.' }) },
    resolve: (_root, args, context) => {
      if (args.ids.length > MaxNodeIds) throw badUserInput(`ids: at most ${MaxNodeIds} ids at once`, 'ids');
      return loadNodes(context, args.ids.map(String));
    },
  }),
}));
