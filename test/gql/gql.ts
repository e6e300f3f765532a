/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  mutation Generate($input: GenerateImageInput!) {\n    generateImage(input: $input) {\n      __typename\n      ... on GenerateImageSuccess { job { ...TestJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n    }\n  }\n": typeof types.GenerateDocument,
    "\n  subscription Updates($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) { cursor type progress stage message preview { id url width height } job { ...TestJob } }\n  }\n": typeof types.UpdatesDocument,
    "\n  fragment TestJob on Job {\n    id status progress stage attempts warnings provider creditsCharged\n    error { code message }\n    images { id url width height format bytes sha256 }\n  }\n": typeof types.TestJobFragmentDoc,
};
const documents: Documents = {
    "\n  mutation Generate($input: GenerateImageInput!) {\n    generateImage(input: $input) {\n      __typename\n      ... on GenerateImageSuccess { job { ...TestJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n    }\n  }\n": types.GenerateDocument,
    "\n  subscription Updates($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) { cursor type progress stage message preview { id url width height } job { ...TestJob } }\n  }\n": types.UpdatesDocument,
    "\n  fragment TestJob on Job {\n    id status progress stage attempts warnings provider creditsCharged\n    error { code message }\n    images { id url width height format bytes sha256 }\n  }\n": types.TestJobFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Generate($input: GenerateImageInput!) {\n    generateImage(input: $input) {\n      __typename\n      ... on GenerateImageSuccess { job { ...TestJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n    }\n  }\n"): (typeof documents)["\n  mutation Generate($input: GenerateImageInput!) {\n    generateImage(input: $input) {\n      __typename\n      ... on GenerateImageSuccess { job { ...TestJob } }\n      ... on Error { code message }\n      ... on ValidationError { issues { path message } }\n      ... on InsufficientCreditsError { required available }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Updates($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) { cursor type progress stage message preview { id url width height } job { ...TestJob } }\n  }\n"): (typeof documents)["\n  subscription Updates($id: ID!, $after: String) {\n    jobUpdated(id: $id, after: $after) { cursor type progress stage message preview { id url width height } job { ...TestJob } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TestJob on Job {\n    id status progress stage attempts warnings provider creditsCharged\n    error { code message }\n    images { id url width height format bytes sha256 }\n  }\n"): (typeof documents)["\n  fragment TestJob on Job {\n    id status progress stage attempts warnings provider creditsCharged\n    error { code message }\n    images { id url width height format bytes sha256 }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;