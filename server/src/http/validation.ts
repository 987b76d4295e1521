import { ErrorCodes } from '@fanlab/shared';
import { Ajv } from 'ajv';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { App } from './app-type';
import { AppError } from './errors';

/**
 * Bodies are validated strictly (a number where a string belongs is a 400, not coerced);
 * query strings and params are text by nature, so they are coerced to the declared types.
 * Every integer schema has a maximum (shared/src/ids.ts), which is what refuses Infinity and
 * 1e309. (Not `strictNumbers`: with coercion, Ajv 8 then skips the bounds of a coerced Infinity.)
 */
const strict = new Ajv({
  coerceTypes: false,
  useDefaults: true,
  removeAdditional: false,
  allErrors: false,
  strict: false,
});
const coercing = new Ajv({
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  allErrors: false,
  strict: false,
});

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>;
};

/**
 * Text PostgreSQL cannot hold: NUL (no text value may contain it) and UTF-16 surrogates without
 * their partner (not valid Unicode: `jsonb` refuses them, `text` would silently change them).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUnsafeText(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/**
 * Where in `value` (strings and object keys, at any depth) unsafe text is, as `.a.0.b`
 * ('' for the value itself), or undefined when there is none. Iterative: deep JSON is fine.
 */
export function findUnsafeText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [node, at] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (isUnsafeText(node)) return at;
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) stack.push([node[i], `${at}.${i}`]);
    } else if (node !== null && typeof node === 'object' && !ArrayBuffer.isView(node)) {
      // (bytes, such as an uploaded image's, hold no text: never walked entry by entry)
      for (const [key, item] of Object.entries(node)) {
        if (isUnsafeText(key)) return at;
        stack.push([item, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * One check for every route, before schema validation: params, query and body holding unsafe
 * text are a 400 naming the field, so such text never reaches a query.
 */
export function refuseUnsafeText(app: App) {
  app.addHook('preValidation', async (request) => {
    const parts = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const;
    for (const [part, value] of parts) {
      const at = findUnsafeText(value);
      if (at === undefined) continue;
      const field = `${part}${at}`;
      const message = 'must not contain NUL characters or unpaired surrogates';
      throw new AppError(400, ErrorCodes.validationFailed, `${field} ${message}`, [{ field, message }]);
    }
  });
}

/** A time from a query filter (already matched by TIME_PATTERN), or 400 naming the field. */
export function parseQueryTime(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new AppError(400, ErrorCodes.validationFailed, `${name} is not a real date and time.`);
  }
  return time;
}
