export * from './accounts.js';
export * from './jobs.js';
