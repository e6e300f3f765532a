/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ClientJob on Job {\n    id\n    status\n    progress\n    stage\n    modelId\n    seed\n    warnings\n    creditsCharged\n    createdAt\n    startedAt\n    finishedAt\n    error { code message }\n    images { id url width height format bytes }\n  }\n": typeof types.ClientJobFragmentDoc,
    "\n  fragment ClientGenerateResult on GenerateImageResult {\n      __typename\n      ... on GenerateImageSuccess { job { ...ClientJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n  }\n": typeof types.ClientGenerateResultFragmentDoc,
    "\n  query ClientModels {\n    models {\n      id\n      name\n      description\n      inputField\n      available\n      parametersJsonSchema\n      capabilities { textToImage editing requiresInputImage maxReferenceImages maxN seed streamingPreviews transparentBackground }\n      parameters { name type required default description allowedValues min max }\n    }\n  }\n": typeof types.ClientModelsDocument,
    "\n  query ClientJob($id: ID!) {\n    job(id: $id) { ...ClientJob }\n  }\n": typeof types.ClientJobDocument,
    "\n  mutation ClientGenerate($input: GenerateImageInput!) {\n    generateImage(input: $input) { ...ClientGenerateResult }\n  }\n": typeof types.ClientGenerateDocument,
    "\n  mutation ClientGenerateWithParams($input: GenerateImageWithParamsInput!) {\n    generateImageWithParams(input: $input) { ...ClientGenerateResult }\n  }\n": typeof types.ClientGenerateWithParamsDocument,
    "\n  mutation ClientCancelJob($id: ID!) {\n    cancelJob(id: $id) { ...ClientJob }\n  }\n": typeof types.ClientCancelJobDocument,
    "\n  subscription ClientJobUpdated($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) {\n      cursor\n      type\n      progress\n      stage\n      message\n      createdAt\n      preview { id url width height }\n      job { ...ClientJob }\n    }\n  }\n": typeof types.ClientJobUpdatedDocument,
};
const documents: Documents = {
    "\n  fragment ClientJob on Job {\n    id\n    status\n    progress\n    stage\n    modelId\n    seed\n    warnings\n    creditsCharged\n    createdAt\n    startedAt\n    finishedAt\n    error { code message }\n    images { id url width height format bytes }\n  }\n": types.ClientJobFragmentDoc,
    "\n  fragment ClientGenerateResult on GenerateImageResult {\n      __typename\n      ... on GenerateImageSuccess { job { ...ClientJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n  }\n": types.ClientGenerateResultFragmentDoc,
    "\n  query ClientModels {\n    models {\n      id\n      name\n      description\n      inputField\n      available\n      parametersJsonSchema\n      capabilities { textToImage editing requiresInputImage maxReferenceImages maxN seed streamingPreviews transparentBackground }\n      parameters { name type required default description allowedValues min max }\n    }\n  }\n": types.ClientModelsDocument,
    "\n  query ClientJob($id: ID!) {\n    job(id: $id) { ...ClientJob }\n  }\n": types.ClientJobDocument,
    "\n  mutation ClientGenerate($input: GenerateImageInput!) {\n    generateImage(input: $input) { ...ClientGenerateResult }\n  }\n": types.ClientGenerateDocument,
    "\n  mutation ClientGenerateWithParams($input: GenerateImageWithParamsInput!) {\n    generateImageWithParams(input: $input) { ...ClientGenerateResult }\n  }\n": types.ClientGenerateWithParamsDocument,
    "\n  mutation ClientCancelJob($id: ID!) {\n    cancelJob(id: $id) { ...ClientJob }\n  }\n": types.ClientCancelJobDocument,
    "\n  subscription ClientJobUpdated($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) {\n      cursor\n      type\n      progress\n      stage\n      message\n      createdAt\n      preview { id url width height }\n      job { ...ClientJob }\n    }\n  }\n": types.ClientJobUpdatedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClientJob on Job {\n    id\n    status\n    progress\n    stage\n    modelId\n    seed\n    warnings\n    creditsCharged\n    createdAt\n    startedAt\n    finishedAt\n    error { code message }\n    images { id url width height format bytes }\n  }\n"): typeof import('./graphql.js').ClientJobFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClientGenerateResult on GenerateImageResult {\n      __typename\n      ... on GenerateImageSuccess { job { ...ClientJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n  }\n"): typeof import('./graphql.js').ClientGenerateResultFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientModels {\n    models {\n      id\n      name\n      description\n      inputField\n      available\n      parametersJsonSchema\n      capabilities { textToImage editing requiresInputImage maxReferenceImages maxN seed streamingPreviews transparentBackground }\n      parameters { name type required default description allowedValues min max }\n    }\n  }\n"): typeof import('./graphql.js').ClientModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientJob($id: ID!) {\n    job(id: $id) { ...ClientJob }\n  }\n"): typeof import('./graphql.js').ClientJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientGenerate($input: GenerateImageInput!) {\n    generateImage(input: $input) { ...ClientGenerateResult }\n  }\n"): typeof import('./graphql.js').ClientGenerateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientGenerateWithParams($input: GenerateImageWithParamsInput!) {\n    generateImageWithParams(input: $input) { ...ClientGenerateResult }\n  }\n"): typeof import('./graphql.js').ClientGenerateWithParamsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientCancelJob($id: ID!) {\n    cancelJob(id: $id) { ...ClientJob }\n  }\n"): typeof import('./graphql.js').ClientCancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClientJobUpdated($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) {\n      cursor\n      type\n      progress\n      stage\n      message\n      createdAt\n      preview { id url width height }\n      job { ...ClientJob }\n    }\n  }\n"): typeof import('./graphql.js').ClientJobUpdatedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
