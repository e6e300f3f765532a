import type { TestApp } from '../support/app.js';

/** The end-to-end parts of the adapter tests: a job submitted through the whole app's GraphQL API. */

const GENERATE_WITH_PARAMS = `mutation Submit($input: GenerateImageWithParamsInput!) {
  generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { code message } }
}`;

/** Submits `input` as the key's account and returns the job id; any other outcome fails the test. */
export async function submitWithParams(app: TestApp, key: string, input: Record<string, unknown>): Promise<string> {
  const { body } = await app.graphql(GENERATE_WITH_PARAMS, { input }, key);
  const result = body.data?.generateImageWithParams;
  if (result?.__typename !== 'GenerateImageSuccess') throw new Error(`submit failed: ${JSON.stringify(body)}`);
  return result.job.id;
}
