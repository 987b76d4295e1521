import type { App } from '../src/http/app-type';
import { TEST_HOST, TEST_ORIGIN } from './app';

/**
 * Hostile-input walker: reads the app's own OpenAPI description and sends every operation a
 * fixed list of hostile values in its path parameters, query and body (one slot at a time, the
 * rest kept valid), plus hostile whole bodies and headers. Any 5xx, and any error answer that is
 * not JSON `{ error: { code, message } }`, is a finding. Deterministic: no randomness.
 */

/** Someone who sends requests: anonymous (no cookie) or a signed-in account. */
export interface Caller {
  name: string;
  /** The session cookie to send (undefined: anonymous). */
  cookie(): string | undefined;
  /** Called after each operation: e.g. sign in again when the operation ended the session. */
  afterOperation(): Promise<void>;
}

/** Real values that let requests get past "not found" into deeper code. */
export interface Samples {
  /** A valid value for a path parameter of an OpenAPI path (e.g. a real thread id). */
  pathParam(path: string, name: string): string;
  /** A valid value for a body or query field, when its schema alone cannot say (ids, names). */
  field(path: string, name: string): unknown;
}

export interface Finding {
  caller: string;
  /** The operation as the description names it, e.g. `GET /api/threads/{id}`. */
  operation: string;
  method: string;
  url: string;
  what: string;
  status: number;
  problem: string;
  answer: string;
}

export interface WalkResult {
  operations: number;
  requests: number;
  findings: Finding[];
  /** How often each operation answered each status: shows how deep the probes got. */
  statuses: Record<string, Record<number, number>>;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
  $ref?: string;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

/** One operation of the description, its body schema resolved. */
export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

/** A body given as raw text (so that it can hold what JSON.stringify cannot: 1e309, NaN, bad JSON). */
interface RawBody {
  text: string;
  contentType?: string;
}

interface Probe {
  what: string;
  path: Record<string, string>;
  /** Query string as raw (already encoded) `name=value` pairs. */
  query: string[];
  body?: RawBody;
  headers?: Record<string, string>;
}

/** The methods that may change something (the Origin check and the permission matrix cover them). */
export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---- hostile values ------------------------------------------------------------------------

/** Raw (already percent-encoded) text for path segments and query values. */
const hostileText: [string, string][] = [
  ['NUL', 'a%00b'],
  ['overlong NUL', '%C0%80'],
  ['lone surrogate (CESU)', '%ED%A0%80'],
  ['invalid UTF-8', '%FF%FE'],
  ['bare percent', '%'],
  ['empty', ''],
  ['long', 'x'.repeat(600)],
  ['huge integer', '9999999999999999999'],
  ['int32 + 1', '2147483648'],
  ['max safe + 1', '9007199254740992'],
  ['1e309', '1e309'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['negative', '-1'],
  ['fraction', '1.5'],
  ['hex', '0x10'],
  ['true', 'true'],
  ['brackets', '%5B%5D'],
  ['quotes and wildcards', '%27%22%25_%5C'],
  ['impossible date', '2024-13-45'],
];

/** Values for one JSON field; `raw` ones are spliced into the JSON text as they are. */
const hostileJson: [string, unknown][] = [
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', '\ud800'],
  ['lone low surrogate', 'x\udc00y'],
  ['control chars', '\u0001\u001f\u007f'],
  ['empty string', ''],
  ['long string', 'z'.repeat(70_000)],
  ['int32 + 1', 2147483648],
  ['max safe + 1', 9007199254740992],
  ['negative', -1],
  ['zero', 0],
  ['fraction', 1.5],
  ['true', true],
  ['null', null],
  ['empty array', []],
  ['array of NUL', ['\u0000']],
  ['huge array', Array.from({ length: 20_000 }, (_, i) => i + 1)],
  ['empty object', {}],
  ['object with NUL key', { 'a\u0000': 1 }],
];

const rawJsonTokens: [string, string][] = [
  ['huge integer', '9999999999999999999'],
  ['array of huge', '[9999999999999999999]'],
  ['1e309', '1e309'],
  ['deep array', `${'['.repeat(5000)}${']'.repeat(5000)}`],
];

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Whole bodies, for operations that take one (and, without content type, for all writes). */
const hostileBodies: [string, RawBody][] = [
  ['empty body', { text: '' }],
  ['JSON null', { text: 'null' }],
  ['JSON array', { text: '[]' }],
  ['JSON string', { text: '"text"' }],
  ['empty object', { text: '{}' }],
  ['invalid JSON', { text: '{"a":' }],
  ['escaped NUL key', { text: '{"\\u0000":1}' }],
  ['lone surrogate key', { text: '{"\\ud800":1}' }],
  // Deeper than any recursive walker's stack (about 10k frames) goes.
  ['deep array', { text: `${'['.repeat(20_000)}${']'.repeat(20_000)}` }],
  ['deep object', { text: deepObject(20_000) }],
  ['proto pollution', { text: '{"__proto__":{"isAdmin":true}}' }],
  ['too large', { text: `{"a":"${'b'.repeat(600 * 1024)}"}` }],
  ['text/plain', { text: '{}', contentType: 'text/plain' }],
  ['form encoded', { text: 'a=b', contentType: 'application/x-www-form-urlencoded' }],
  ['bad charset', { text: '{}', contentType: 'application/json; charset=utf-16' }],
];

/** Keyset cursors that decode to hostile tuples (and plain garbage). */
const cursorValue = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hostileCursors: [string, string][] = [
  ['garbage cursor', 'not-a-cursor!!'],
  ['base64 of text', Buffer.from('hello').toString('base64url')],
  ...(
    [
      ['cursor []', []],
      ['cursor {}', {}],
      ['cursor [null]', [null]],
      ['cursor [NUL]', ['\u0000']],
      ['cursor [surrogate, 1]', ['\ud800', 1]],
      ['cursor [huge]', [1e300]],
      ['cursor [-huge]', [-1e300]],
      ['cursor [fraction]', [1.5]],
      ['cursor [max safe + 1]', [9007199254740992]],
      ['cursor [text, fraction]', ['2024-01-01 00:00:00+00', 1.5]],
      ['cursor [text, huge]', ['2024-01-01 00:00:00+00', 1e300]],
      ['cursor [bad date, 1]', ['2024-13-45 00:00:00+00', 1]],
      ['cursor [loose date, 1]', ['1', 1]],
      ['cursor [word date, 1]', ['Tuesday 12', 1]],
      ['cursor [date NUL, 1]', ['2024-01-01\u0000', 1]],
      ['cursor [huge, huge]', [1e308, 1e308]],
      ['cursor [1, fraction]', [1, 1.5]],
      ['cursor [1, huge]', [1, 1e300]],
      ['cursor [0, text, 1]', [0, 'x', 1]],
      ['cursor [0, NUL, 1]', [0, '\u0000', 1]],
      ['cursor [0, huge text, 1]', [0, '99999999999', 1]],
      ['cursor [0, fraction text, 1]', [0, '1.5', 1]],
      ['cursor [0, bad date, 1]', [0, '2024-02-30 25:61:00+00', 1]],
      ['cursor [0, loose date, 1]', [0, '1', 1]],
      ['cursor [0, date, fraction]', [0, '2024-01-01 00:00:00+00', 1.5]],
      ['cursor [0, date, huge]', [0, '2024-01-01 00:00:00+00', 1e300]],
      ['cursor [huge, date, 1]', [1e300, '2024-01-01 00:00:00+00', 1]],
      ['cursor [0, long text, 1]', [0, 'q'.repeat(300), 1]],
    ] as [string, unknown][]
  ).map(([label, value]): [string, string] => [label, cursorValue(value)]),
];

const hostileHeaders: [string, Record<string, string>][] = [
  ['cookie NUL', { cookie: 'fanlab_session=%00' }],
  ['cookie huge', { cookie: `fanlab_session=${'a'.repeat(8000)}` }],
  ['cookie junk', { cookie: ';;;=;=a=b=;fanlab_session' }],
  ['request id junk', { 'x-request-id': '\u00ff'.repeat(100) }],
  ['forwarded junk', { 'x-forwarded-for': 'not an ip, , ::ffff:999.1.1.1', 'x-forwarded-proto': 'gopher' }],
  ['authorization junk', { authorization: 'Bearer \u00ff' }],
];

// ---- reading the description ---------------------------------------------------------------

function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return components[name];
}

/** Every operation of the app's own OpenAPI description (`/api/openapi.json`). */
export async function readOperations(
  app: App,
): Promise<{ operations: Operation[]; components: Record<string, JsonSchema> }> {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { host: TEST_HOST } });
  if (res.statusCode !== 200) throw new Error(`/api/openapi.json answered ${res.statusCode}`);
  const spec = res.json() as {
    paths: Record<
      string,
      Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
    >;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const components = spec.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: resolve(op.requestBody?.content?.['application/json']?.schema, components),
      });
    }
  }
  return { operations, components };
}

// ---- valid samples from schemas ------------------------------------------------------------

/** Candidates for pattern-constrained strings: the first one the pattern accepts is used. */
const patternCandidates = ['fuzz-slug', 'fuzz_user', '#123456', 'en', '2024-01-01', 'a@example.com', 'user:1'];
const samplePattern = (pattern: string) => patternCandidates.find((c) => new RegExp(pattern, 'u').test(c)) ?? 'sample';

/**
 * A valid-looking value for a schema. `full` fills every property; otherwise only the required
 * ones and those with a real sample, so that probing one field does not trip over another.
 */
function sampleOf(
  schema: JsonSchema | undefined,
  name: string,
  context: { path: string; samples: Samples; components: Record<string, JsonSchema>; full: boolean },
): unknown {
  const s = resolve(schema, context.components);
  if (!s) return 'sample';
  const given = name ? context.samples.field(context.path, name) : undefined;
  if (given !== undefined) return given;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.[0]) return sampleOf(alternatives[0], name, context);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part) => sampleOf(part, name, context)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {})
          .filter(
            ([key]) =>
              context.full || s.required?.includes(key) || context.samples.field(context.path, key) !== undefined,
          )
          .map(([key, value]) => [key, sampleOf(value, key, context)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sampleOf(s.items, name, context));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      if (s.pattern) return samplePattern(s.pattern);
      const length = Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 20, 20));
      return 'Fuzzing sample text '.repeat(Math.ceil(length / 20) + 1).slice(0, length);
    }
  }
}

type Pointer = (string | number)[];

/**
 * JSON text of `base` with the field at `pointer` replaced by the raw JSON text `raw` (or
 * removed). Containers on the way that `base` lacks are taken from `full`.
 */
function withField(base: unknown, full: unknown, pointer: Pointer, raw: string | undefined): string {
  const placeholder = '\u0001hostile\u0001';
  const marker = JSON.stringify(placeholder);
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  let fullNode = full as Record<string | number, unknown>;
  for (const key of pointer.slice(0, -1)) {
    if (node[key] === undefined) node[key] = structuredClone(fullNode[key]);
    node = node[key] as Record<string | number, unknown>;
    fullNode = fullNode[key] as Record<string | number, unknown>;
  }
  const last = pointer[pointer.length - 1] as string | number;
  if (raw === undefined) delete node[last];
  else node[last] = placeholder;
  const text = JSON.stringify(copy);
  return raw === undefined ? text : text.replace(marker, raw);
}

/** The field slots of a body: every property (nested too) and the first item of every array. */
function fieldSlots(value: unknown, pointer: Pointer = []): Pointer[] {
  if (Array.isArray(value)) {
    return value.length ? [[...pointer, 0], ...fieldSlots(value[0], [...pointer, 0])] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => [[...pointer, key], ...fieldSlots(v, [...pointer, key])]);
  }
  return [];
}

// ---- probes --------------------------------------------------------------------------------

function probesFor(op: Operation, samples: Samples, components: Record<string, JsonSchema>): Probe[] {
  const context = { path: op.path, samples, components, full: false };
  const fullContext = { ...context, full: true };
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const basePath = Object.fromEntries(pathParams.map((p) => [p.name, samples.pathParam(op.path, p.name)]));
  const queryPair = (p: Parameter) => `${p.name}=${encodeURIComponent(String(sampleOf(p.schema, p.name, context)))}`;
  // The valid query: required parameters and those with a real sample.
  const baseParams = queryParams.filter((p) => p.required || samples.field(op.path, p.name) !== undefined);
  const baseQuery = baseParams.map(queryPair);
  const bodyBase = op.body ? sampleOf(op.body, '', context) : undefined;
  const bodyFull = op.body ? sampleOf(op.body, '', fullContext) : undefined;
  const baseBody: RawBody | undefined = op.body ? { text: JSON.stringify(bodyBase) } : undefined;
  const probe = (what: string, change: Partial<Probe>): Probe => ({
    what,
    path: basePath,
    query: baseQuery,
    body: baseBody,
    ...change,
  });

  const probes: Probe[] = [probe('valid sample', {})];
  for (const p of pathParams) {
    for (const [label, raw] of hostileText) {
      probes.push(probe(`path ${p.name}: ${label}`, { path: { ...basePath, [p.name]: raw } }));
    }
  }
  for (const p of queryParams) {
    const others = baseParams.filter((o) => o !== p).map(queryPair);
    const values = p.name === 'cursor' ? [...hostileText, ...hostileCursors] : hostileText;
    for (const [label, raw] of values) {
      probes.push(probe(`query ${p.name}: ${label}`, { query: [...others, `${p.name}=${raw}`] }));
    }
    probes.push(probe(`query ${p.name}: given twice`, { query: [...others, queryPair(p), queryPair(p)] }));
    probes.push(probe(`query ${p.name}: as array`, { query: [...others, `${p.name}[]=1`] }));
    if (p.required) probes.push(probe(`query ${p.name}: missing`, { query: others }));
  }
  if (queryParams.length) {
    probes.push(probe('query: every parameter', { query: queryParams.map(queryPair) }));
    probes.push(probe('query: unknown parameter', { query: [...baseQuery, 'zz=a%00b'] }));
  }
  if (op.body && bodyBase !== undefined) {
    for (const pointer of fieldSlots(bodyFull)) {
      const name = pointer.join('.');
      const put = (raw: string | undefined) => ({ text: withField(bodyBase, bodyFull, pointer, raw) });
      for (const [label, value] of hostileJson)
        probes.push(probe(`body ${name}: ${label}`, { body: put(JSON.stringify(value)) }));
      for (const [label, raw] of rawJsonTokens) probes.push(probe(`body ${name}: ${label}`, { body: put(raw) }));
      if (typeof pointer[pointer.length - 1] === 'string')
        probes.push(probe(`body ${name}: missing`, { body: put(undefined) }));
    }
    if (bodyBase && typeof bodyBase === 'object' && !Array.isArray(bodyBase)) {
      probes.push(probe('body: every field', { body: { text: JSON.stringify(bodyFull) } }));
      probes.push(probe('body: extra field', { body: { text: JSON.stringify({ ...bodyBase, zz: 'a\u0000b' }) } }));
      probes.push(probe('body: wrapped in array', { body: { text: JSON.stringify([bodyBase]) } }));
    }
  }
  // Whole bodies: every write gets them, declared body or not.
  if (op.body || WRITE_METHODS.has(op.method)) {
    for (const [label, body] of hostileBodies) probes.push(probe(`body: ${label}`, { body }));
  }
  for (const [label, headers] of hostileHeaders) probes.push(probe(`headers: ${label}`, { headers }));
  return probes;
}

function urlOf(op: Operation, probe: Probe): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => probe.path[name] ?? '1');
  return probe.query.length ? `${path}?${probe.query.join('&')}` : path;
}

function problemWith(status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return undefined;
  if (!contentType.startsWith('application/json')) return `error answer is ${contentType || 'untyped'}, not JSON`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'error answer is not valid JSON';
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return 'error answer is not { error: { code, message } }';
  }
  return undefined;
}

/**
 * Walks every operation of the app's OpenAPI description (or those whose path `only` accepts)
 * as every caller.
 */
export async function walkOperations(
  app: App,
  callers: Caller[],
  samples: Samples,
  only: (path: string) => boolean = () => true,
): Promise<WalkResult> {
  const { operations: all, components } = await readOperations(app);
  const operations = all.filter((o) => only(o.path));
  // Deletes last: they take away the real rows that the other operations use.
  const ordered = [
    ...operations.filter((o) => o.method !== 'DELETE'),
    ...operations.filter((o) => o.method === 'DELETE'),
  ];
  const findings: Finding[] = [];
  const statuses: WalkResult['statuses'] = {};
  let requests = 0;
  for (const op of ordered) {
    const probes = probesFor(op, samples, components);
    for (const caller of callers) {
      for (const probe of probes) {
        const url = urlOf(op, probe);
        const cookie = caller.cookie();
        const headers: Record<string, string> = {
          host: TEST_HOST,
          ...(WRITE_METHODS.has(op.method) ? { origin: TEST_ORIGIN } : {}),
          ...(cookie ? { cookie } : {}),
          ...(probe.body ? { 'content-type': probe.body.contentType ?? 'application/json' } : {}),
          ...probe.headers,
        };
        const res = await app.inject({
          method: op.method as 'GET',
          url,
          headers,
          ...(probe.body ? { payload: probe.body.text } : {}),
        });
        requests += 1;
        const counts = statuses[`${op.method} ${op.path}`] ?? {};
        counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
        statuses[`${op.method} ${op.path}`] = counts;
        const problem = problemWith(res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
        if (problem) {
          findings.push({
            caller: caller.name,
            operation: `${op.method} ${op.path}`,
            method: op.method,
            url: url.length > 160 ? `${url.slice(0, 160)}…` : url,
            what: probe.what,
            status: res.statusCode,
            problem,
            answer: res.body.slice(0, 200),
          });
        }
      }
      await caller.afterOperation();
    }
  }
  return { operations: ordered.length, requests, findings, statuses };
}

/** One line per finding, for test failure messages and reports. */
export function describeFindings(findings: Finding[], max = 60): string {
  const lines = findings
    .slice(0, max)
    .map((f) => `${f.caller} ${f.method} ${f.url} [${f.what}] → ${f.problem}: ${f.answer}`);
  if (findings.length > max) lines.push(`… and ${findings.length - max} more`);
  return lines.join('\n');
}
