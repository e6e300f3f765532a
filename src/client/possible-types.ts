
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "InsufficientCreditsError",
      "InvalidMediaError",
      "MediaFetchFailedError",
      "MediaTooLargeError",
      "ModelUnavailableError",
      "UnsupportedMediaError",
      "UrlNotAllowedError",
      "ValidationError"
    ],
    "GenerateImageResult": [
      "GenerateImageSuccess",
      "IdempotencyConflictError",
      "InsufficientCreditsError",
      "ModelUnavailableError",
      "ValidationError"
    ],
    "ImportMediaResult": [
      "ImportMediaSuccess",
      "InvalidMediaError",
      "MediaFetchFailedError",
      "MediaTooLargeError",
      "UnsupportedMediaError",
      "UrlNotAllowedError"
    ],
    "Node": [
      "Account",
      "ApiKey",
      "Image",
      "Job",
      "Media",
      "Model",
      "Style",
      "WebhookDelivery",
      "WebhookEndpoint"
    ],
    "UploadMediaResult": [
      "InvalidMediaError",
      "MediaTooLargeError",
      "UnsupportedMediaError",
      "UploadMediaSuccess"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "InsufficientCreditsError",
      "InvalidMediaError",
      "MediaFetchFailedError",
      "MediaTooLargeError",
      "ModelUnavailableError",
      "UnsupportedMediaError",
      "UrlNotAllowedError",
      "ValidationError"
    ],
    "GenerateImageResult": [
      "GenerateImageSuccess",
      "IdempotencyConflictError",
      "InsufficientCreditsError",
      "ModelUnavailableError",
      "ValidationError"
    ],
    "ImportMediaResult": [
      "ImportMediaSuccess",
      "InvalidMediaError",
      "MediaFetchFailedError",
      "MediaTooLargeError",
      "UnsupportedMediaError",
      "UrlNotAllowedError"
    ],
    "Node": [
      "Account",
      "ApiKey",
      "Image",
      "Job",
      "Media",
      "Model",
      "Style",
      "WebhookDelivery",
      "WebhookEndpoint"
    ],
    "UploadMediaResult": [
      "InvalidMediaError",
      "MediaTooLargeError",
      "UnsupportedMediaError",
      "UploadMediaSuccess"
    ]
  }
};
      export default result;
    