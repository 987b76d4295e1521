import type { ErrorResponse } from '@fanlab/shared';

/** Codes the client itself uses when there is no API error body to read. */
export const ClientErrorCodes = {
  /** The request never got an answer (offline, server down, blocked). */
  network: 'network_error',
  /** A non-2xx answer that is not the API's error shape (e.g. a proxy's HTML page). */
  unexpected: 'unexpected_response',
} as const;

/** A non-2xx answer of the API (or no answer at all: status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isErrorResponse(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  }
  return new ApiError(
    response.status,
    ClientErrorCodes.unexpected,
    `Unexpected answer ${response.status} ${response.statusText}`.trim(),
  );
}

/**
 * Calls the API on this origin with the session cookie; `body` is sent as JSON, or as it is when
 * it is a file. Resolves with the parsed JSON body (undefined for 204), rejects with ApiError for
 * anything else.
 */
export async function apiRequest<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: { keepalive?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // a file (an image upload) goes as its own bytes, with its own type
  const file = body instanceof Blob ? body : undefined;
  if (file) headers['content-type'] = file.type || 'application/octet-stream';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: file ?? (body === undefined ? undefined : JSON.stringify(body)),
      keepalive: options.keepalive,
    });
  } catch (cause) {
    throw new ApiError(0, ClientErrorCodes.network, cause instanceof Error ? cause.message : 'Network error');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const apiGet = <T>(path: string) => apiRequest<T>('GET', path);
export const apiPost = <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, body);
export const apiPatch = <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, body);
export const apiPut = <T>(path: string, body?: unknown, options?: { keepalive?: boolean }) =>
  apiRequest<T>('PUT', path, body, options);
export const apiDelete = <T>(path: string) => apiRequest<T>('DELETE', path);

/** `path?a=1&b=x`, leaving out parameters that are undefined, null or empty. */
export function withQuery(path: string, params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
