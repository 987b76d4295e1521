import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** The certificate of the test image host (self-signed for 127.0.0.1 and localhost): trust it as a CA. */
export const IMAGE_HOST_CA = fixture('image-host.crt');

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTPS server playing a remote image host; counts the requests of every path. */
export interface ImageHost {
  /** https://127.0.0.1:port */
  origin: string;
  port: number;
  hits: Map<string, number>;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startImageHost(): Promise<ImageHost> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const server: Server = createServer({ key: fixture('image-host.key'), cert: IMAGE_HOST_CA }, (req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    hits,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `body` as `type`. */
export const serve =
  (body: Buffer | string, type = 'image/png'): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': type }).end(body);
  };

/** Redirects to `location`. */
export const redirect =
  (location: string): Handler =>
  (_req, res) => {
    res.writeHead(302, { location }).end();
  };
