import type { Context } from '../services.js';
import { listJobDeliveries, replayDelivery, type DeliveryStatus, type WebhookDeliveryRecord } from '../webhooks/deliveries.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, rotateWebhookEndpointSecret, updateWebhookEndpoint, type WebhookEndpointRecord } from '../webhooks/endpoints.js';
import { currentWebhookEvent, DefaultWebhookEvents, WebhookEvents, type JobWebhook, type LegacyWebhookEvent, type WebhookEvent } from '../webhooks/events.js';
import { accountWebhookSecret, rotateAccountWebhookSecret, type RotatedSecret } from '../webhooks/secrets.js';
import { checkWebhookUrl, webhookUrlPolicy } from '../webhooks/validate.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { badUserInput } from './errors.js';
import { addQueryField } from './mutation-result.js';
import { isUuid, JobType, type JobShape } from './job.js';
import { ViewerType } from './viewer.js';

/**
 * Webhooks: the per-job `webhook` input of the generate mutations, the account's endpoints and
 * signing secrets, and each job's deliveries. Sending happens in worker processes (src/webhooks/).
 */

const eventDescriptions: Record<WebhookEvent, string> = {
  QUEUED: 'The job was created and waits for a worker.',
  STARTED: 'A worker started an attempt.',
  PROGRESS: 'Progress or stage changed; coalesced for slow receivers.',
  SUCCEEDED: 'The job ended with its images.',
  FAILED: 'The job ended without images.',
  CANCELED: 'The job was canceled.',
};

export const WebhookEventEnum = builder.enumType('WebhookEvent', {
  description: 'What a webhook is sent for: the job update types of `jobUpdated`, terminal ones named by the status the job ends in.',
  values: {
    ...Object.fromEntries(WebhookEvents.map((event) => [event, { value: event, description: eventDescriptions[event] }])),
    COMPLETED: { value: 'COMPLETED', description: 'Accepted on input as SUCCEEDED.', deprecationReason: 'Use SUCCEEDED, the job status this event is sent for.' },
  } as Record<WebhookEvent | LegacyWebhookEvent, { value: WebhookEvent | LegacyWebhookEvent; description: string; deprecationReason?: string }>,
});

const eventsDescription = `Events to send; omitted: ${DefaultWebhookEvents.join(', ')}.`;

export const WebhookInput = builder.inputType('WebhookInput', {
  description:
    "Where to POST this job's updates, signed by the Standard Webhooks specification with the account's secret (`viewer { webhookSecret }`). https is required outside development; private and loopback addresses are refused.",
  fields: (t) => ({
    url: t.string({ required: true, description: 'The receiver: https outside development.' }),
    events: t.field({ type: [WebhookEventEnum], description: eventsDescription }),
  }),
});

const JobWebhookType = builder.objectRef<JobWebhook>('JobWebhook').implement({
  description: "The job's own webhook.",
  fields: (t) => ({
    url: t.exposeString('url', { description: 'The receiver.' }),
    events: t.field({ type: [WebhookEventEnum], description: 'Events sent to it.', resolve: (hook) => [...hook.events] }),
    disabled: t.boolean({ description: 'The receiver answered 410 Gone: nothing more is sent.', resolve: (hook) => hook.disabled === true }),
  }),
});

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery is.',
  values: {
    PENDING: { value: 'pending', description: 'Waiting for its first attempt or a retry.' },
    SENDING: { value: 'sending', description: 'An attempt is in flight.' },
    DELIVERED: { value: 'delivered', description: 'The receiver answered 2xx.' },
    FAILED: { value: 'failed', description: 'Given up: retries exhausted, 410 Gone, or the URL is not allowed.' },
    SUPERSEDED: { value: 'superseded', description: 'A PROGRESS delivery replaced by a newer one before it was sent.' },
    CANCELED: { value: 'canceled', description: 'Its endpoint was disabled or deleted.' },
  } as const satisfies Record<string, { value: DeliveryStatus; description: string }>,
});

export const WebhookDeliveryType = builder.objectRef<WebhookDeliveryRecord>('WebhookDelivery').implement({
  interfaces: [NodeInterface],
  description: "One message to one target (the job's webhook or an endpoint), with its attempts so far.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The delivery id (a UUID).' }),
    webhookId: t.exposeString('webhookId', { description: 'The `webhook-id` header: the same on every attempt and replay, for deduplication.' }),
    eventType: t.field({ type: WebhookEventEnum, description: 'The event it carries.', resolve: (delivery) => delivery.eventType }),
    endpointId: t.exposeID('endpointId', { nullable: true, description: "The endpoint; null for the job's own webhook (or a deleted endpoint)." }),
    status: t.field({ type: WebhookDeliveryStatusEnum, description: 'Where it is.', resolve: (delivery) => delivery.status }),
    attempt: t.exposeInt('attempt', { description: 'Attempts made so far.' }),
    responseCode: t.exposeInt('responseCode', { nullable: true, description: "HTTP status of the last attempt's answer." }),
    latencyMs: t.exposeInt('latencyMs', { nullable: true, description: 'Duration of the last attempt.' }),
    nextRetryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While PENDING: when the next attempt is due.',
      resolve: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null),
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    replayOf: t.exposeID('replayOf', { nullable: true, description: 'The delivery this one replays.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it was delivered or given up.' }),
  }),
});

export const WebhookEndpointType = builder.objectRef<WebhookEndpointRecord>('WebhookEndpoint').implement({
  interfaces: [NodeInterface],
  description: 'Receives the events it names for every job of the account, signed with its own secret (shown once, at creation).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The endpoint id (a UUID).' }),
    url: t.exposeString('url', { description: 'The receiver.' }),
    description: t.exposeString('description', { description: 'A note to recognise it by.' }),
    events: t.field({ type: [WebhookEventEnum], description: 'Events sent to it.', resolve: (endpoint) => endpoint.events }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether events are sent to it.' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it is disabled: by request, or its receiver answered 410 Gone.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const CreatedWebhookEndpointType = builder.objectRef<{ endpoint: WebhookEndpointRecord; secret: string }>('CreatedWebhookEndpoint').implement({
  description: 'A new endpoint with its signing secret.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The signing secret (`whsec_...`): store it now, it is never shown again.' }),
    endpoint: t.field({ type: WebhookEndpointType, description: 'The endpoint as listed from now on.', resolve: (created) => created.endpoint }),
  }),
});

const WebhookSecretRotationType = builder.objectRef<RotatedSecret>('WebhookSecretRotation').implement({
  description: 'A new signing secret; the previous one keeps signing for a while.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The new secret (`whsec_...`).' }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      description: 'Until then every delivery carries two signatures, one per secret, so receivers can switch without missing one.',
      resolve: (rotation) => rotation.previousExpiresAt,
    }),
  }),
});

builder.objectFields(JobType, (t) => ({
  webhook: t.field({
    type: JobWebhookType,
    nullable: true,
    description: "The job's own webhook, if it was given one.",
    resolve: (job) => (job as JobShape & { webhook?: JobWebhook | null }).webhook ?? null,
  }),
  webhookDeliveries: t.field({
    type: [WebhookDeliveryType],
    description: "Deliveries of this job's events to its webhook and the account's endpoints, oldest first.",
    resolve: (job, _args, context) => listJobDeliveries(context.services.database.sql, job.id),
  }),
}));

builder.objectFields(ViewerType, (t) => ({
  webhookSecret: t.string({
    authScopes: { admin: true },
    description: "The account's secret (`whsec_...`) that signs per-job webhooks; verify deliveries with it (admin scope).",
    resolve: (viewer, _args, context) => {
      return accountWebhookSecret(context.services.database.sql, context.services.secretBox, viewer.accountId);
    },
  }),
  webhookEndpoints: t.field({
    authScopes: { read: true },
    type: [WebhookEndpointType],
    description: "The account's webhook endpoints, oldest first.",
    resolve: (viewer, _args, context) => {
      return listWebhookEndpoints(context.services.database.sql, viewer.accountId);
    },
  }),
}));

function checkedUrl(context: Context, url: string): string {
  const problem = checkWebhookUrl(url, webhookUrlPolicy(context.services.config));
  if (problem) throw badUserInput(`url: ${problem}`, 'url');
  return url;
}

function checkedEvents(events: readonly (WebhookEvent | LegacyWebhookEvent)[]): WebhookEvent[] {
  const unique = [...new Set(events.map(currentWebhookEvent))];
  if (unique.length === 0) throw badUserInput('events: name at least one event', 'events');
  return unique;
}

addQueryField(CreatedWebhookEndpointType);
addQueryField(WebhookDeliveryType);
addQueryField(WebhookSecretRotationType);
addQueryField(WebhookEndpointType);

builder.mutationFields((t) => ({
  rotateWebhookSecret: t.field({
    authScopes: { admin: true },
    type: WebhookSecretRotationType,
    description: "Replaces the account's per-job webhook secret; the previous one keeps signing alongside it for WEBHOOK_SECRET_OVERLAP_SECONDS (admin scope).",
    resolve: (_root, _args, context) => {
      const viewer = viewerOf(context);
      return rotateAccountWebhookSecret(context.services.database.sql, context.services.secretBox, viewer.accountId, context.services.config.webhooks.secretOverlapSeconds);
    },
  }),
  createWebhookEndpoint: t.field({
    authScopes: { admin: true },
    type: CreatedWebhookEndpointType,
    description: 'Adds an endpoint that receives the named events of every job of the account (admin scope).',
    args: {
      url: t.arg.string({ required: true, description: 'The receiver: https outside development.' }),
      events: t.arg({ type: [WebhookEventEnum], description: eventsDescription }),
      description: t.arg.string({ description: 'A note to recognise it by (at most 500 characters).', validate: { maxLength: 500 } }),
    },
    resolve: (_root, args, context) => {
      const viewer = viewerOf(context);
      return createWebhookEndpoint(context.services.database.sql, context.services.secretBox, viewer.accountId, {
        url: checkedUrl(context, args.url),
        events: checkedEvents(args.events ?? DefaultWebhookEvents),
        description: args.description ?? '',
      });
    },
  }),
  updateWebhookEndpoint: t.field({
    authScopes: { admin: true },
    type: WebhookEndpointType,
    nullable: true,
    description: 'Changes an endpoint; omitted arguments stay as they are. Disabling it cancels its pending deliveries. Null for unknown ids (admin scope).',
    args: {
      id: t.arg.id({ required: true, description: 'The endpoint id.' }),
      url: t.arg.string({ description: 'A new receiver.' }),
      events: t.arg({ type: [WebhookEventEnum], description: 'New events to send.' }),
      description: t.arg.string({ description: 'A new note (at most 500 characters).', validate: { maxLength: 500 } }),
      enabled: t.arg.boolean({ description: 'Enable or disable it.' }),
    },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      if (!isUuid(id)) return null;
      const endpoint = await updateWebhookEndpoint(context.services.database.sql, viewer.accountId, id, {
        url: args.url != null ? checkedUrl(context, args.url) : undefined,
        events: args.events != null ? checkedEvents(args.events) : undefined,
        description: args.description ?? undefined,
        enabled: args.enabled ?? undefined,
      });
      return endpoint ?? null;
    },
  }),
  deleteWebhookEndpoint: t.boolean({
    authScopes: { admin: true },
    description: 'Deletes an endpoint and cancels its pending deliveries; false for unknown ids (admin scope).',
    args: { id: t.arg.id({ required: true, description: 'The endpoint id.' }) },
    resolve: (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      return isUuid(id) ? deleteWebhookEndpoint(context.services.database.sql, viewer.accountId, id) : false;
    },
  }),
  rotateWebhookEndpointSecret: t.field({
    authScopes: { admin: true },
    type: WebhookSecretRotationType,
    nullable: true,
    description: "Replaces an endpoint's secret, with the same overlap as `rotateWebhookSecret`; null for unknown ids (admin scope).",
    args: { id: t.arg.id({ required: true, description: 'The endpoint id.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      if (!isUuid(id)) return null;
      return (await rotateWebhookEndpointSecret(context.services.database.sql, context.services.secretBox, viewer.accountId, id, context.services.config.webhooks.secretOverlapSeconds)) ?? null;
    },
  }),
  replayWebhook: t.field({
    authScopes: { generate: true },
    type: WebhookDeliveryType,
    nullable: true,
    description: "Sends a delivery's message again (same webhook-id and body) as a new delivery, after anything still pending for its job and target. Null for unknown ids.",
    args: { deliveryId: t.arg.id({ required: true, description: 'The delivery to send again.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.deliveryId);
      if (!isUuid(id)) return null;
      const result = await replayDelivery(context.services.database.sql, viewer.accountId, id);
      switch (result.kind) {
        case 'queued':
          return result.delivery;
        case 'not-found':
          return null;
        case 'target-unavailable':
          throw badUserInput(`deliveryId: cannot replay, ${result.reason}`, 'deliveryId');
        default:
          return assertNever(result);
      }
    },
  }),
}));

function assertNever(value: never): never {
  throw new Error(`unexpected replay result ${JSON.stringify(value)}`);
}
