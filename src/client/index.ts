/**
 * `pictor/client`: a typed client of Pictor's API for browsers and Node. Types come from
 * graphql-codegen (`./gql/`); `possibleTypes` is for Apollo Client's cache.
 */
export { createPictorClient, type Job, type Media, type Model, type GenerateResult, type PictorClient, type PictorClientOptions } from './client.js';
export { PictorError } from './errors.js';
export { isTerminalUpdate, type JobUpdate, type WatchJobOptions } from './watch-job.js';
export type { GenerateImageInput, GenerateImageWithParamsInput, JobStatus } from './gql/graphql.js';

import possibleTypesResult from './possible-types.js';
/** Union and interface members, for Apollo Client: `new InMemoryCache({ possibleTypes })`. */
export const possibleTypes = possibleTypesResult.possibleTypes;
