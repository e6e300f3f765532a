import { isIP } from 'node:net';
import { blockedReason } from '../net/ip-address.js';
import { DefaultWebhookEvents, type JobWebhook, type WebhookEvent } from './events.js';
import type { ValidationIssue } from '../catalog/rules/issues.js';

/** Which webhook URLs a deployment accepts. */
export interface WebhookUrlPolicy {
  /** Plain http is refused unless in development (or with ALLOW_PRIVATE_URLS). */
  readonly requireHttps: boolean;
  /** ALLOW_PRIVATE_URLS: loopback, private and link-local targets allowed (development and tests). */
  readonly allowPrivate: boolean;
}

export function webhookUrlPolicy(config: { development: boolean; media: { allowPrivateUrls: boolean } }): WebhookUrlPolicy {
  return { requireHttps: !config.development && !config.media.allowPrivateUrls, allowPrivate: config.media.allowPrivateUrls };
}

const MAX_URL_LENGTH = 2048;

/**
 * Checks a webhook URL when it is given (job submit, endpoint create/update): syntax, scheme,
 * no credentials, and no address that is private on its face (IP literals, `localhost`). Names
 * are resolved and checked again at every delivery, so DNS cannot be used to get around it.
 * Returns why the URL is refused, or undefined.
 */
export function checkWebhookUrl(url: string, policy: WebhookUrlPolicy): string | undefined {
  if (url.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an https URL';
  if (parsed.protocol === 'http:' && policy.requireHttps) return 'must be an https URL (plain http is accepted in development only)';
  if (parsed.username || parsed.password) return 'must not contain credentials';
  if (parsed.hash) return 'must not contain a fragment';
  if (policy.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.') return 'must not point at this machine';
  if (isIP(host) !== 0) {
    const reason = blockedReason(host);
    if (reason) return `must be a public address, not ${reason}`;
  }
  return undefined;
}

/** The `webhook` input of the generate mutations. */
export interface JobWebhookInput {
  readonly url: string;
  /** Omitted: the terminal events (SUCCEEDED, FAILED, CANCELED). */
  readonly events?: readonly WebhookEvent[] | null | undefined;
}

/** Validates a job's webhook at submit; issues point into the mutation input (`webhook.url`). */
export function parseJobWebhook(input: JobWebhookInput | null | undefined, policy: WebhookUrlPolicy): { webhook: JobWebhook | null; issues: ValidationIssue[] } {
  if (input == null) return { webhook: null, issues: [] };
  const issues: ValidationIssue[] = [];
  const problem = checkWebhookUrl(input.url, policy);
  if (problem) issues.push({ path: ['webhook', 'url'], message: problem });
  const events = [...new Set(input.events ?? DefaultWebhookEvents)];
  if (events.length === 0) issues.push({ path: ['webhook', 'events'], message: 'name at least one event (or omit it for SUCCEEDED, FAILED and CANCELED)' });
  return { webhook: issues.length > 0 ? null : { url: input.url, events }, issues };
}
