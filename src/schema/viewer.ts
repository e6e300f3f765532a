import { builder } from './builder.js';
import { requireViewer } from './errors.js';

interface ViewerShape {
  accountId: string;
  keyId: string;
}

export const ViewerType = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'The account behind the API key in use.',
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    keyId: t.exposeID('keyId'),
    balance: t.int({
      description: 'Spendable credits (holds of unfinished jobs already subtracted).',
      resolve: async (viewer, _args, context) => {
        const [account] = await context.services.database.sql<{ balance: number }[]>`select balance from accounts where id = ${viewer.accountId}`;
        return account?.balance ?? 0;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerType,
    resolve: (_root, _args, context) => requireViewer(context),
  }),
}));
