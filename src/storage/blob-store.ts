import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';

/** Where image bytes live. Keys are relative paths chosen by Pictor (`images/<account>/<id>.png`). */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<void>;
  /** The bytes, or undefined when nothing is stored under the key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every key that starts with `prefix` (a variant folder). */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A URL that serves the key directly for a while, when the driver can make one (S3 presigned
   * GET); undefined otherwise, and the caller serves the bytes itself.
   */
  presignedUrl?(key: string, options: PresignOptions): Promise<string>;
}

export interface PutOptions {
  /** Stored with the object where the driver can (S3), so direct downloads get the right type. */
  readonly contentType?: string;
  /**
   * The key is new and no reader can know it before the caller records it, after `put` has
   * resolved (a random id, written to its row afterwards). The file driver then writes in place,
   * without a temporary file and rename: a write cut short leaves a partial file under a key that
   * no row names, never a row pointing to a partial file. An existing key is refused, never
   * overwritten in place.
   */
  readonly fresh?: boolean;
}

export interface PresignOptions {
  readonly expiresInSeconds: number;
  /** Response headers the bucket must send with the object. */
  readonly contentType?: string;
  readonly cacheControl?: string;
}

/** The callback form: no FileHandle object per write (fs/promises makes one, measurably slower for small files). */
const writeFileOnce = promisify(writeFile);

/** Writes a file; its folder usually exists (one per account), so it is created only when the write says it is missing. */
async function writeCreatingFolder(file: string, bytes: Uint8Array, flag: 'w' | 'wx'): Promise<void> {
  await writeFileOnce(file, bytes, { flag }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileOnce(file, bytes, { flag });
  });
}

/**
 * Local-filesystem store under a root directory. Writes are atomic (temp file + rename), except
 * `fresh` ones, which no reader can see before they are whole (see `PutOptions.fresh`).
 */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathFor(key: string): string {
    const resolved = path.resolve(this.root, key);
    // Keys are generated internally, but never let one escape the root.
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Invalid blob key: ${key}`);
    return resolved;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.pathFor(key);
    if (options.fresh) {
      await writeCreatingFolder(target, bytes, 'wx').catch(async (error: NodeJS.ErrnoException) => {
        // A failed write may have left part of the file; the key is ours alone, so remove it (unless it was there before).
        if (error.code !== 'EEXIST') await fs.rm(target, { force: true });
        throw error;
      });
      return;
    }
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeCreatingFolder(temporary, bytes, 'w');
    await fs.rename(temporary, target);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.pathFor(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathFor(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const root = path.resolve(this.root);
    // Walk only the deepest folder the prefix names; match the rest of it against each key.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = folder ? this.pathFor(folder) : root;
    const entries = await fs.readdir(start, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .filter((key) => key.startsWith(prefix));
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (prefix.endsWith('/')) {
      await fs.rm(this.pathFor(prefix.slice(0, -1)), { recursive: true, force: true });
      return;
    }
    await Promise.all((await this.list(prefix)).map((key) => this.delete(key)));
  }
}
