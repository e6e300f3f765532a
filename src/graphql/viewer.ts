import { accountBalance } from '../accounts/accounts.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';

interface ViewerShape {
  accountId: string;
  keyId: string;
  operator: boolean;
}

export const ViewerType = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'The account behind the API key in use.',
  fields: (t) => ({
    accountId: t.exposeID('accountId', { description: "The account's id." }),
    keyId: t.exposeID('keyId', { description: "The key's id." }),
    operator: t.exposeBoolean('operator', { description: 'Whether the key in use is an operator key (runs the deployment).' }),
    balance: t.int({
      description: 'Spendable credits (holds of unfinished jobs already subtracted).',
      resolve: (viewer, _args, context) => accountBalance(context.services.database.sql, viewer.accountId),
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    authScopes: { authenticated: true },
    type: ViewerType,
    description: 'The account and key of the request: who Pictor thinks you are.',
    resolve: (_root, _args, context) => viewerOf(context),
  }),
}));
