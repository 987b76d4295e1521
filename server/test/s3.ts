import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Config } from '../src/config';

/**
 * A local HTTP server playing an S3-compatible bucket (path-style): PUT and GET of objects kept in
 * memory. It refuses requests that are not SigV4-signed for its access key and region (the
 * Authorization header's credential scope and signed headers, and the payload hash), as S3 would;
 * it does not recompute the signature itself.
 */
export interface FakeS3 {
  config: S3Config;
  objects: Map<string, { bytes: Buffer; contentType: string | undefined }>;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startFakeS3(bucket = 'fanlab-test'): Promise<FakeS3> {
  const objects = new Map<string, { bytes: Buffer; contentType: string | undefined }>();
  const requests: { method: string; path: string }[] = [];
  const accessKeyId = 'AKIAFANLABTEST';
  const region = 'eu-test-1';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path });
      const auth = String(req.headers.authorization ?? '');
      const scope = new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/${region}/s3/aws4_request, `);
      const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
      const hash = createHash('sha256').update(body).digest('hex');
      const payload = req.headers['x-amz-content-sha256'];
      if (
        !scope.test(auth) ||
        !['host', 'x-amz-date'].every((h) => signed.includes(h)) ||
        !/Signature=[0-9a-f]{64}$/.test(auth)
      ) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      if (payload !== undefined && payload !== 'UNSIGNED-PAYLOAD' && payload !== hash) {
        res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
        return;
      }
      const prefix = `/${bucket}/`;
      if (!path.startsWith(prefix)) {
        res.writeHead(404).end('<Error><Code>NoSuchBucket</Code></Error>');
        return;
      }
      const key = path.slice(prefix.length);
      if (req.method === 'PUT') {
        objects.set(key, { bytes: body, contentType: req.headers['content-type'] });
        res.writeHead(200, { etag: `"${hash}"` }).end();
      } else if (req.method === 'GET') {
        const object = objects.get(key);
        if (!object) res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
        else res.writeHead(200, { 'content-type': object.contentType ?? 'application/octet-stream' }).end(object.bytes);
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    config: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region,
      accessKeyId,
      secretAccessKey: 'fanlab-test-secret',
    },
    objects,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
