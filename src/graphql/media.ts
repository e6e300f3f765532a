import { createMedia, importMedia } from '../media/create-media.js';
import { MediaErrorCodes, type MediaFailure, type MediaResult } from '../media/errors.js';
import { findMedia, type MediaRecord } from '../media/records.js';
import { mediaOptions, mediaUrl } from '../media/service.js';
import type { Context } from '../services.js';
import { VariantWidths } from '../storage/variants.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { ErrorInterface, ResultError, type ErrorResult } from './errors.js';
import { ImageFormatEnum, variantOf, VariantUrlDescription } from './image.js';

/**
 * Input pictures: `uploadMedia` (GraphQL multipart request), `importMedia` (http(s) URL through
 * the SSRF guard, or a data URL) and `media(id)`. Refusals are typed results; nothing is stored.
 */

const MediaSourceEnum = builder.enumType('MediaSource', {
  description: 'How a media entered Pictor.',
  values: {
    UPLOAD: { value: 'upload', description: 'Sent as a file (uploadMedia, POST /v1/media).' },
    URL: { value: 'url', description: 'Fetched from an http(s) URL.' },
    DATA_URL: { value: 'data_url', description: 'Decoded from a base64 data URL.' },
  } as const,
});

export const MediaType = builder.objectRef<MediaRecord>('Media').implement({
  description: 'An input picture of the account, checked by decoding; use it in `references` as `{ mediaId }`.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The media id (a UUID): pass it as `references: [{ mediaId }]`.' }),
    url: t.string({
      description: VariantUrlDescription,
      args: {
        format: t.arg({ type: ImageFormatEnum, description: 'Convert to this format (PNG, WEBP or JPEG).' }),
        width: t.arg.int({ description: `Scale down to this width (${VariantWidths.min}-${VariantWidths.max}); never enlarged.`, validate: { min: VariantWidths.min, max: VariantWidths.max } }),
      },
      resolve: (media, args, context) => mediaUrl(context.services, media, variantOf(media.format, args)),
    }),
    width: t.exposeInt('width', { description: 'As displayed (EXIF orientation applied).' }),
    height: t.exposeInt('height', { description: 'As displayed (EXIF orientation applied).' }),
    format: t.field({ type: ImageFormatEnum, description: 'Read from the content, never from a name or a declared type.', resolve: (media) => media.format }),
    bytes: t.exposeInt('bytes', { description: 'Size of the stored file in bytes.' }),
    sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the stored file.' }),
    thumbhash: t.exposeString('thumbhash', { description: 'ThumbHash placeholder (base64, ~25 bytes): decode it into a blurred preview while the image loads.' }),
    source: t.field({ type: MediaSourceEnum, description: 'How it entered Pictor.', resolve: (media) => media.source }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was stored.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When it is deleted (MEDIA_TTL_SECONDS); null keeps it.' }),
  }),
});

interface MediaErrorResult extends ErrorResult {
  readonly kind: 'UnsupportedMediaError' | 'InvalidMediaError' | 'MediaTooLargeError' | 'MediaFetchFailedError' | 'UrlNotAllowedError';
  readonly maxBytes: number;
  readonly maxPixels: number;
  readonly status: number | null;
}

/** One class per media error type: the error unions resolve failures by class. */
function errorType(name: MediaErrorResult['kind'], description: string, extraFields: 'limits' | 'status' | 'none') {
  const ErrorClass = class extends ResultError<MediaErrorResult> {};
  builder.objectType(ErrorClass, {
    name,
    description,
    interfaces: [ErrorInterface],
    fields: (t) => ({
      ...(extraFields === 'limits'
        ? {
            maxBytes: t.int({ description: 'MEDIA_MAX_BYTES', resolve: (error) => error.result.maxBytes }),
            maxPixels: t.int({ description: 'MEDIA_MAX_PIXELS (width x height)', resolve: (error) => error.result.maxPixels }),
          }
        : {}),
      ...(extraFields === 'status' ? { status: t.int({ nullable: true, description: 'HTTP status the remote server answered, if it answered.', resolve: (error) => error.result.status }) } : {}),
    }),
  });
  return ErrorClass;
}

const MediaErrorClasses = {
  UnsupportedMediaError: errorType('UnsupportedMediaError', 'Not a JPEG, PNG or WebP image (judged by content); nothing was stored. Code UNSUPPORTED_MEDIA.', 'none'),
  InvalidMediaError: errorType('InvalidMediaError', 'Looks like JPEG, PNG or WebP but does not decode (damaged, truncated, bad data URL); nothing was stored. Code INVALID_MEDIA.', 'none'),
  MediaTooLargeError: errorType('MediaTooLargeError', 'More bytes or pixels than this deployment accepts; nothing was stored. Code MEDIA_TOO_LARGE.', 'limits'),
  MediaFetchFailedError: errorType('MediaFetchFailedError', 'The URL could not be fetched (DNS, connection, HTTP status, redirects, time limit). Code MEDIA_FETCH_FAILED.', 'status'),
  UrlNotAllowedError: errorType(
    'UrlNotAllowedError',
    'Pictor does not fetch this URL: only http(s) to public addresses (no loopback, private, link-local or metadata addresses, also after redirects). Code URL_NOT_ALLOWED.',
    'none',
  ),
} as const;

interface MediaSuccess {
  readonly kind: 'UploadMediaSuccess' | 'ImportMediaSuccess';
  readonly media: MediaRecord;
}

function successType(name: MediaSuccess['kind'], description: string) {
  return builder.objectRef<MediaSuccess>(name).implement({
    description,
    fields: (t) => ({ media: t.field({ type: MediaType, description: 'The stored media.', resolve: (result) => result.media }) }),
  });
}

const { UnsupportedMediaError, InvalidMediaError, MediaTooLargeError, MediaFetchFailedError, UrlNotAllowedError } = MediaErrorClasses;

const UploadMediaResultType = builder.errorUnion('UploadMediaResult', {
  description: 'The stored media, or why nothing was stored.',
  types: [successType('UploadMediaSuccess', 'The upload was stored.'), UnsupportedMediaError, InvalidMediaError, MediaTooLargeError],
  resolveType: () => 'UploadMediaSuccess',
});

const ImportMediaResultType = builder.errorUnion('ImportMediaResult', {
  description: 'The stored media, or why nothing was stored.',
  types: [successType('ImportMediaSuccess', 'The image was fetched or decoded, and stored.'), UnsupportedMediaError, InvalidMediaError, MediaTooLargeError, MediaFetchFailedError, UrlNotAllowedError],
  resolveType: () => 'ImportMediaSuccess',
});

/** The media error type of a failure; `kind` is its GraphQL name. */
function errorKind(code: MediaFailure['code']): MediaErrorResult['kind'] {
  switch (code) {
    case MediaErrorCodes.unsupported:
      return 'UnsupportedMediaError';
    case MediaErrorCodes.invalid:
      return 'InvalidMediaError';
    case MediaErrorCodes.tooLarge:
      return 'MediaTooLargeError';
    case MediaErrorCodes.fetchFailed:
      return 'MediaFetchFailedError';
    case MediaErrorCodes.urlNotAllowed:
      return 'UrlNotAllowedError';
    case MediaErrorCodes.notFound:
      // Creating a media never looks one up.
      throw new Error(`unexpected ${code} while creating a media`);
    default: {
      const exhaustive: never = code;
      throw new Error(`Unhandled media error code ${String(exhaustive)}`);
    }
  }
}

function errorResult(failure: MediaFailure, context: Context): ResultError<MediaErrorResult> {
  const { maxBytes, maxPixels } = context.services.config.media;
  const kind = errorKind(failure.code);
  return new MediaErrorClasses[kind]({ kind, code: failure.code, message: failure.message, maxBytes, maxPixels, status: failure.upstreamStatus ?? null });
}

function toResult(result: MediaResult<MediaRecord>, kind: MediaSuccess['kind'], context: Context): MediaSuccess | ResultError<MediaErrorResult> {
  return result.ok ? { kind, media: result.value } : errorResult(result.error, context);
}

builder.queryFields((t) => ({
  media: t.field({
    authScopes: { read: true },
    type: MediaType,
    nullable: true,
    description: "One of the viewer's media; null for unknown ids, other accounts' media and expired media.",
    args: { id: t.arg.id({ required: true, description: 'The media id.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      return (await findMedia(context.services.database.sql, viewer.accountId, String(args.id))) ?? null;
    },
  }),
}));

builder.mutationFields((t) => ({
  uploadMedia: t.field({
    authScopes: { generate: true },
    type: UploadMediaResultType,
    description: 'Stores an image sent with the GraphQL multipart request spec (JPEG, PNG or WebP, checked by decoding).',
    args: { file: t.arg({ type: 'File', required: true, description: 'The image file (JPEG, PNG or WebP).' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const bytes = new Uint8Array(await args.file.arrayBuffer());
      return toResult(await createMedia(bytes, 'upload', mediaOptions(context.services, viewer.accountId)), 'UploadMediaSuccess', context);
    },
  }),
  importMedia: t.field({
    authScopes: { generate: true },
    type: ImportMediaResultType,
    description: 'Fetches an http(s) URL (through the SSRF guard) or decodes a base64 data URL, checks the image and stores it.',
    args: { url: t.arg.string({ required: true, description: 'An http(s) URL or a base64 data URL.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      return toResult(await importMedia(args.url, mediaOptions(context.services, viewer.accountId)), 'ImportMediaSuccess', context);
    },
  }),
}));
