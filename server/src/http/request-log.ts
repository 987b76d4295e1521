import type { App } from './app-type';

export interface RequestLogOptions {
  /** A request that took this long is logged (warn) whatever its status. */
  slowMs: number;
  /** How often the summary of the requests served is logged (info). */
  summaryEveryMs: number;
}

export const defaultRequestLog: RequestLogOptions = { slowMs: 1_000, summaryEveryMs: 60_000 };

/**
 * What operators need of the requests, without two log objects per request (Fastify's request
 * logging cost 12–16% of a page at info): one line per failed (5xx, error) or slow request (warn),
 * every request at debug, and at info a summary per interval (count per status class, average and
 * slowest time). Errors themselves are logged by the error handler, with their stack.
 */
export function registerRequestLog(app: App, options: RequestLogOptions): void {
  const empty = () => ({ requests: 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, totalMs: 0, slowestMs: 0 });
  let served = empty();
  const debug = app.log.level === 'debug' || app.log.level === 'trace';
  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    served.requests++;
    served.totalMs += ms;
    if (ms > served.slowestMs) served.slowestMs = ms;
    if (status >= 500) served['5xx']++;
    else if (status >= 400) served['4xx']++;
    else if (status >= 300) served['3xx']++;
    else served['2xx']++;
    if (status >= 500) {
      request.log.error({ method: request.method, url: request.url, status, ms: Math.round(ms) }, 'request failed');
    } else if (ms >= options.slowMs) {
      request.log.warn({ method: request.method, url: request.url, status, ms: Math.round(ms) }, 'slow request');
    } else if (debug) {
      request.log.debug({ method: request.method, url: request.url, status, ms: Math.round(ms) }, 'request');
    }
  });
  const timer = setInterval(() => {
    if (served.requests === 0) return;
    const { totalMs, slowestMs, ...counts } = served;
    served = empty();
    app.log.info(
      { ...counts, averageMs: Math.round((10 * totalMs) / counts.requests) / 10, slowestMs: Math.round(slowestMs) },
      `${counts.requests} requests in the last ${Math.round(options.summaryEveryMs / 1000)} s`,
    );
  }, options.summaryEveryMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
