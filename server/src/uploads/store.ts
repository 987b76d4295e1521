import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import type { Config, S3Config } from '../config';

/**
 * Where uploaded images live, by key (`<sha256 hex>.webp`: the same bytes, the same key, so a
 * second put of a key writes nothing new). A folder on disk by default; an S3-compatible bucket
 * when S3_* are set (docs/uploads.md).
 */
export interface UploadStore {
  /** What the operator configured, for the start-up log (no secrets). */
  readonly where: string;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or undefined when there is no such upload. */
  get(key: string): Promise<Buffer | undefined>;
}

/** Keys are checked by the routes' schemas; this guards the file system against any other caller. */
const KEY = /^[0-9a-f]{64}\.webp$/;
function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not an upload key: ${key}`);
}

/**
 * A folder: `<dir>/<first two characters>/<key>`, written to a temporary name and renamed into
 * place, so a reader never sees half an image and a crash leaves none.
 */
export class FolderUploadStore implements UploadStore {
  readonly where: string;

  constructor(private readonly dir: string) {
    this.where = `folder ${dir}`;
  }

  private file(key: string) {
    checkKey(key);
    return path.join(this.dir, key.slice(0, 2), key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomUUID()}.part`;
    try {
      await writeFile(partial, bytes, { mode: 0o644 });
      await rename(partial, file);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}

/** A bucket of an S3-compatible store (AWS, R2, MinIO…), path-style, requests signed with SigV4. */
export class S3UploadStore implements UploadStore {
  readonly where: string;
  private readonly client: AwsClient;

  constructor(private readonly s3: S3Config) {
    this.where = `S3 bucket ${s3.bucket} at ${s3.endpoint}`;
    this.client = new AwsClient({
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: s3.region,
      service: 's3',
    });
  }

  private url(key: string) {
    checkKey(key);
    return `${this.s3.endpoint}/${encodeURIComponent(this.s3.bucket)}/${key}`;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const res = await this.client.fetch(this.url(key), {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': contentType, 'cache-control': 'public, max-age=31536000, immutable' },
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`S3 PUT ${key} answered ${res.status}`);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const res = await this.client.fetch(this.url(key));
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (!res.ok) {
      await res.arrayBuffer();
      throw new Error(`S3 GET ${key} answered ${res.status}`);
    }
    return Buffer.from(await res.arrayBuffer());
  }
}

export function createUploadStore(config: Pick<Config, 'uploadsDir' | 'uploadsS3'>): UploadStore {
  return config.uploadsS3 ? new S3UploadStore(config.uploadsS3) : new FolderUploadStore(config.uploadsDir);
}
