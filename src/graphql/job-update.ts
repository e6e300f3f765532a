import { GraphQLError } from 'graphql';
import { JobEventTypes } from '../jobs/records.js';
import { decodeCursor, encodeCursor } from '../realtime/cursor.js';
import type { JobUpdate } from '../realtime/hub.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { ImageType } from './image.js';
import { isUuid, JobStatusEnum, JobType } from './job.js';

type UpdateType = 'SNAPSHOT' | (typeof JobEventTypes)[number];

const updateDescriptions: Record<UpdateType, string> = {
  SNAPSHOT: 'The job as it is when the stream opens (without `after`).',
  QUEUED: 'The job was created and waits for a worker.',
  STARTED: 'A worker started an attempt.',
  PROGRESS: 'Progress, stage or preview changed.',
  RETRYING: 'An attempt failed and the job waits to be retried.',
  SUCCEEDED: 'The job ended with its images.',
  FAILED: 'The job ended without images.',
  CANCELED: 'The job was canceled.',
};

const JobUpdateTypeEnum = builder.enumType('JobUpdateType', {
  description: 'SNAPSHOT opens a stream without `after`; the others are log events.',
  values: Object.fromEntries((['SNAPSHOT', ...JobEventTypes] as UpdateType[]).map((type) => [type, { value: type, description: updateDescriptions[type] }])) as Record<
    UpdateType,
    { value: UpdateType; description: string }
  >,
});

const JobUpdateType = builder.objectRef<JobUpdate>('JobUpdate').implement({
  description:
    'Something happened to a job. The update\'s own fields (`status`, `progress`, `stage`, `message`, `preview`, `createdAt`) are the job as of this event, also when it is replayed later. `job` is the job as it is when the update is sent ("as of now"): a normalized client cache that merges it never goes back in time.',
  fields: (t) => ({
    cursor: t.string({ description: 'Resume after this update with `after: cursor`.', resolve: (update) => encodeCursor(update.key) }),
    type: t.field({ type: JobUpdateTypeEnum, description: 'What happened.', resolve: (update) => update.event.type }),
    job: t.field({
      type: JobType,
      description: 'The job as it is now (when this update is sent), not as of the event: on a replayed PROGRESS event it may already be SUCCEEDED.',
      resolve: (update) => update.job,
    }),
    status: t.field({ type: JobStatusEnum, description: "The job's status as of this event.", resolve: (update) => update.event.status }),
    progress: t.float({ description: 'Progress (0 to 1) as of this event.', resolve: (update) => update.event.progress }),
    stage: t.string({ nullable: true, description: 'Stage as of this event.', resolve: (update) => update.event.stage }),
    message: t.string({ nullable: true, description: 'Why, for failures and retries.', resolve: (update) => ('message' in update.event ? update.event.message : null) }),
    preview: t.field({ type: ImageType, nullable: true, description: 'A low-resolution frame of the picture so far.', resolve: (update) => update.preview }),
    createdAt: t.field({ type: 'DateTime', description: 'When it happened.', resolve: (update) => update.event.createdAt }),
  }),
});

function parseAfter(after: string | null | undefined) {
  if (after == null) return undefined;
  const key = decodeCursor(after);
  if (!key) throw new GraphQLError('after: not a cursor issued by this server', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  return key;
}

builder.subscriptionFields((t) => ({
  jobUpdated: t.field({
    authScopes: { read: true },
    type: JobUpdateType,
    description: 'Every update of one job, in order. Without `after` the first message is a SNAPSHOT; with `after` the missed updates are replayed first. Completes after the terminal update.',
    args: { id: t.arg.id({ required: true, description: 'The job id.' }), after: t.arg.string({ description: 'Resume after this update (`cursor` of the last one received).' }) },
    subscribe: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      const after = parseAfter(args.after);
      const stream = isUuid(id) ? await context.services.hub.subscribeJob(viewer, id, after) : undefined;
      // The id is not repeated back: it may be anything a client sent.
      if (!stream) throw new GraphQLError('id: job not found', { extensions: { code: 'NOT_FOUND', field: 'id' } });
      return stream;
    },
    resolve: (update) => update,
  }),
  jobsUpdated: t.field({
    authScopes: { read: true },
    type: JobUpdateType,
    description: "Every update of every one of the viewer's jobs, in order; with `after`, missed updates first.",
    args: { after: t.arg.string({ description: 'Resume after this update (`cursor` of the last one received).' }) },
    subscribe: (_root, args, context) => {
      const viewer = viewerOf(context);
      return context.services.hub.subscribeAccount(viewer, parseAfter(args.after));
    },
    resolve: (update) => update,
  }),
}));
