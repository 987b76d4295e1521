// biome-ignore-all lint/suspicious/noExplicitAny: the OpenAPI document is walked as plain JSON
import { Client, type TestApp } from './app';

export interface Operation {
  method: string;
  url: string;
  /** The OpenAPI path, e.g. /api/ideas/{id}. */
  path: string;
  /** The security schemes it lists ('token' for routes that take API tokens). */
  security: string[];
}

/** Every operation of the API, from its own OpenAPI description, with ids filled in as 1. */
export async function apiOperations(t: TestApp): Promise<Operation[]> {
  const spec = (await new Client(t.app).get('/api/openapi.json')).body;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        url: path.replace(/\{[^}]+\}/g, '1'),
        path,
        security: (op.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s)),
      });
    }
  }
  return ops;
}
