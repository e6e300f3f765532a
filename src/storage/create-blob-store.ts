import type { BlobStoreConfig } from '../config.js';
import { FileBlobStore, type BlobStore } from './blob-store.js';

/**
 * The blob store this deployment configured (`BLOB_STORE`). The S3 driver is imported only when
 * chosen, so deployments on local disk never load the AWS SDK.
 */
export async function createBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  switch (config.driver) {
    case 'fs':
      return new FileBlobStore(config.root);
    case 's3': {
      const { S3BlobStore } = await import('./s3-blob-store.js');
      return new S3BlobStore(config);
    }
    default: {
      const exhaustive: never = config;
      throw new Error(`Unknown blob store driver ${String((exhaustive as { driver: unknown }).driver)}`);
    }
  }
}
