import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStoreConfig } from '../config.js';
import type { BlobStore, PresignOptions, PutOptions } from './blob-store.js';

export type S3BlobStoreOptions = Omit<Extract<BlobStoreConfig, { driver: 's3' }>, 'driver' | 'presignedRedirects'>;

/** S3 allows at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

/**
 * Blobs in an S3 bucket (AWS or any S3-compatible server: MinIO, R2, Ceph...), every key under
 * `prefix`. Writes are atomic by S3's own guarantee: an object appears whole or not at all.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      forcePathStyle: options.forcePathStyle,
      // Newer SDKs add CRC checksums to every request by default, which several S3-compatible
      // servers reject; send them only where the S3 API requires one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    return `${this.options.prefix}${key}`;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key), Body: bytes, ...(options.contentType ? { ContentType: options.contentType } : {}) }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.objectKey(prefix), ...(continuationToken ? { ContinuationToken: continuationToken } : {}) }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(this.options.prefix.length));
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return keys;
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: batch.map((key) => ({ Key: this.objectKey(key) })), Quiet: true } }));
      const failed = result.Errors ?? [];
      if (failed.length > 0) throw new Error(`S3 refused to delete ${failed.length} objects under ${prefix}: ${failed[0]?.Code ?? ''} ${failed[0]?.Message ?? ''}`);
    }
  }

  presignedUrl(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: this.objectKey(key),
      ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
      ...(options.cacheControl ? { ResponseCacheControl: options.cacheControl } : {}),
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException) return error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404;
  return (error as { name?: string }).name === 'NoSuchKey';
}
