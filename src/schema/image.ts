import type { ImageRecord } from '../jobs/records.js';
import { builder } from './builder.js';

export const ImageFormatEnum = builder.enumType('ImageFormat', {
  values: { PNG: { value: 'png' }, WEBP: { value: 'webp' }, JPEG: { value: 'jpeg' }, SVG: { value: 'svg' } } as const,
});

export const ImageType = builder.objectRef<ImageRecord>('Image').implement({
  description: 'A stored picture: a job output or a preview frame.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.string({
      description: 'Signed, expiring URL of the image; needs no header, so it works in an <img src>.',
      resolve: (image, _args, context) => context.services.signer.sign(image.id, image.format, context.services.config.fileUrlTtlSeconds),
    }),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    format: t.field({ type: ImageFormatEnum, resolve: (image) => image.format as 'png' }),
    bytes: t.exposeInt('bytes', { description: 'Size of the stored file in bytes.' }),
    sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the stored file.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
