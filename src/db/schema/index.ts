export * from './accounts.js';
export * from './jobs.js';
export * from './media.js';
export * from './webhooks.js';
