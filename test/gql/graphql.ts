/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type GenerateImageInput = {
  /** Repeating a request with the same key returns the original job instead of a new one. */
  idempotencyKey?: string | null | undefined;
  /** The model and its parameters. */
  model: GenerateImageModelInput;
  /** Number of images (1 to the model's maxN). */
  n?: number | null | undefined;
  /** For reproducible results; chosen at random (and reported on the job) when omitted. */
  seed?: number | null | undefined;
};

/** Pick exactly one model and give its parameters. */
export type GenerateImageModelInput =
  {   /** Placeholder (development): Offline development model with no AI behind it: renders the prompt over a seed-driven composition, deterministically, with progress steps and preview frames. */
  placeholder: PlaceholderInput; };

export type ImageFormat =
  | 'JPEG'
  | 'PNG'
  | 'SVG'
  | 'WEBP';

export type JobStatus =
  | 'CANCELED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** SNAPSHOT opens a stream without `after`; the others are log events. */
export type JobUpdateType =
  | 'CANCELED'
  | 'FAILED'
  | 'PROGRESS'
  | 'QUEUED'
  | 'RETRYING'
  | 'SNAPSHOT'
  | 'STARTED'
  | 'SUCCEEDED';

export type PlaceholderAspectRatio =
  /** `1:1` */
  | 'RATIO_1_1'
  /** `2:3` */
  | 'RATIO_2_3'
  /** `3:2` */
  | 'RATIO_3_2'
  /** `3:4` */
  | 'RATIO_3_4'
  /** `4:3` */
  | 'RATIO_4_3'
  /** `9:16` */
  | 'RATIO_9_16'
  /** `16:9` */
  | 'RATIO_16_9'
  /** `21:9` */
  | 'RATIO_21_9';

/** Parameters of Placeholder (development) (`placeholder`). */
export type PlaceholderInput = {
  /** Shape of the picture. */
  aspectRatio?: PlaceholderAspectRatio | null | undefined;
  /** Encoding of the stored image. */
  outputFormat?: PlaceholderOutputFormat | null | undefined;
  /** Text laid out over the picture. (at most 2000 characters) */
  prompt: string;
  /** Pixel budget: 512 (512x512 at 1:1), 1K (1024x1024), 2K (2048x2048); other ratios keep the area. */
  resolution?: PlaceholderResolution | null | undefined;
  /** Duration of each step in milliseconds. (min 0, max 60000) */
  stepMs?: number | null | undefined;
  /** Number of progress steps (and preview frames). (min 1, max 100) */
  steps?: number | null | undefined;
};

export type PlaceholderOutputFormat =
  /** `jpeg` */
  | 'JPEG'
  /** `png` */
  | 'PNG'
  /** `webp` */
  | 'WEBP';

export type PlaceholderResolution =
  /** `1K` */
  | 'RES_1K'
  /** `2K` */
  | 'RES_2K'
  /** `512` */
  | 'RES_512';

export type GenerateMutationVariables = Exact<{
  input: GenerateImageInput;
}>;


export type GenerateMutation = { generateImage:
    | { __typename: 'GenerateImageSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, attempts: number, warnings: Array<string>, provider: string | null, creditsCharged: number | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number, sha256: string }> } }
    | { __typename: 'InsufficientCreditsError', code: string, message: string, required: number, available: number }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: Array<string>, message: string }> }
   };

export type UpdatesSubscriptionVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type UpdatesSubscription = { jobUpdated: { cursor: string, type: JobUpdateType, progress: number, stage: string | null, message: string | null, preview: { id: string, url: string, width: number, height: number } | null, job: { id: string, status: JobStatus, progress: number, stage: string | null, attempts: number, warnings: Array<string>, provider: string | null, creditsCharged: number | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number, sha256: string }> } } };

export type TestJobFragment = { id: string, status: JobStatus, progress: number, stage: string | null, attempts: number, warnings: Array<string>, provider: string | null, creditsCharged: number | null, error: { code: string, message: string } | null, images: Array<{ id: string, url: string, width: number, height: number, format: ImageFormat, bytes: number, sha256: string }> };

export const TestJobFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TestJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"creditsCharged"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}}]}}]} as unknown as DocumentNode<TestJobFragment, unknown>;
export const GenerateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Generate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GenerateImageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"generateImage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GenerateImageSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TestJob"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InsufficientCreditsError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TestJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"creditsCharged"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}}]}}]} as unknown as DocumentNode<GenerateMutation, GenerateMutationVariables>;
export const UpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Updates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"preview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TestJob"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TestJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"creditsCharged"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}}]}}]} as unknown as DocumentNode<UpdatesSubscription, UpdatesSubscriptionVariables>;