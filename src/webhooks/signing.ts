import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A message id for the `webhook-id` header; the same on every attempt of one message. */
export function newWebhookId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** The secrets a target signs with now: the current one, and the previous one during its overlap. */
export interface SigningSecrets {
  readonly current: string;
  readonly previous?: string | undefined;
}

/** The three Standard Webhooks headers plus the content type. */
export type SignedHeaders = {
  readonly 'content-type': 'application/json';
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/**
 * Signs one attempt (the timestamp is the attempt's, so a retry hours later still verifies
 * within the receivers' tolerance). With a previous secret in its overlap window both
 * signatures are sent, space-separated, as the specification allows: a receiver that still has
 * the old secret and one that has the new one both verify.
 */
export function signWebhook(secrets: SigningSecrets, webhookId: string, payload: string, at: Date = new Date()): SignedHeaders {
  const signatures = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])].map((secret) => new Webhook(secret).sign(webhookId, at, payload));
  return {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
