import type { ImageRecord } from '../jobs/records.js';
import { imageThumbhash } from '../media/image-placeholders.js';
import { VariantWidths } from '../storage/variants.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { badUserInput } from './errors.js';

export const ImageFormatEnum = builder.enumType('ImageFormat', {
  description: 'A stored file format, read from the content.',
  values: {
    PNG: { value: 'png', description: 'PNG (lossless, transparency).' },
    WEBP: { value: 'webp', description: 'WebP (small, transparency).' },
    JPEG: { value: 'jpeg', description: 'JPEG (small, no transparency).' },
    SVG: { value: 'svg', description: 'SVG vector graphics (vectorizing models).' },
  } as const,
});

export const VariantUrlDescription = 'Signed, expiring URL; needs no header, so it works in an <img src>. With `format` and/or `width`, a variant rendered on first request and cached.';

/** The file a `url(format, width)` asks for; a variant cannot be SVG unless the original is. */
export function variantOf(storedFormat: string, args: { format?: string | null; width?: number | null }): { format: string; width?: number } {
  const format = args.format ?? storedFormat;
  if (format === 'svg' && (storedFormat !== 'svg' || args.width)) throw badUserInput('Variants can be PNG, WEBP or JPEG (an SVG is resized by converting it)', 'format');
  return { format, ...(args.width ? { width: args.width } : {}) };
}

export const ImageType = builder.objectRef<ImageRecord>('Image').implement({
  description: 'A stored picture: a job output or a preview frame.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The image id (a UUID).' }),
    url: t.string({
      description: VariantUrlDescription,
      args: {
        format: t.arg({ type: ImageFormatEnum, description: 'Convert to this format (PNG, WEBP or JPEG).' }),
        width: t.arg.int({ description: `Scale down to this width (${VariantWidths.min}-${VariantWidths.max}); never enlarged.`, validate: { min: VariantWidths.min, max: VariantWidths.max } }),
      },
      resolve: (image, args, context) => context.services.signer.sign({ kind: 'image', id: image.id, ...variantOf(image.format, args) }, context.services.config.fileUrlTtlSeconds),
    }),
    thumbhash: t.string({
      nullable: true,
      description: 'ThumbHash placeholder (base64, ~25 bytes): decode it into a blurred preview while the image loads.',
      resolve: (image, _args, context) => imageThumbhash(context.services.database.sql, context.services.store, image),
    }),
    width: t.exposeInt('width', { description: 'Width in pixels.' }),
    height: t.exposeInt('height', { description: 'Height in pixels.' }),
    format: t.field({ type: ImageFormatEnum, description: 'File format of the stored file.', resolve: (image) => image.format as 'png' }),
    bytes: t.exposeInt('bytes', { description: 'Size of the stored file in bytes.' }),
    sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the stored file.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was stored.' }),
  }),
});
