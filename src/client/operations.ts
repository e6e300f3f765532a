import { graphql } from './gql/index.js';

/**
 * The operations of the typed client. `npm run codegen` turns each into a typed document string
 * in `./gql/` (result and variable types from `schema.graphql`).
 */

export const ClientJobFragment = graphql(`
  fragment ClientJob on Job {
    id
    status
    progress
    stage
    modelId
    seed
    warnings
    creditsCharged
    createdAt
    startedAt
    finishedAt
    error { code message }
    images { id url width height format bytes }
  }
`);

export const ClientGenerateResultFragment = graphql(`
  fragment ClientGenerateResult on GenerateImageResult {
      __typename
      ... on GenerateImageSuccess { job { ...ClientJob } }
      ... on Error { code message }
      ... on ValidationError { issues { path message } }
      ... on InsufficientCreditsError { required available }
  }
`);

export const ModelsQuery = graphql(`
  query ClientModels {
    models {
      id
      name
      description
      inputField
      available
      parametersJsonSchema
      capabilities { textToImage editing requiresInputImage maxReferenceImages maxN seed streamingPreviews transparentBackground }
      parameters { name type required default description allowedValues min max }
    }
  }
`);

export const JobQuery = graphql(`
  query ClientJob($id: ID!) {
    job(id: $id) { ...ClientJob }
  }
`);

export const GenerateMutation = graphql(`
  mutation ClientGenerate($input: GenerateImageInput!) {
    generateImage(input: $input) { ...ClientGenerateResult }
  }
`);

export const GenerateWithParamsMutation = graphql(`
  mutation ClientGenerateWithParams($input: GenerateImageWithParamsInput!) {
    generateImageWithParams(input: $input) { ...ClientGenerateResult }
  }
`);

export const CancelJobMutation = graphql(`
  mutation ClientCancelJob($id: ID!) {
    cancelJob(id: $id) { ...ClientJob }
  }
`);

export const JobUpdatedSubscription = graphql(`
  subscription ClientJobUpdated($id: ID!, $after: String) {
    jobUpdated(id: $id, after: $after) {
      cursor
      type
      progress
      stage
      message
      createdAt
      preview { id url width height }
      job { ...ClientJob }
    }
  }
`);
