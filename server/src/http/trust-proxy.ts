import { isIP } from 'node:net';
import type { FastifyServerOptions } from 'fastify';

/**
 * Whom to believe about the client's address (`X-Forwarded-For`) and the request's protocol and
 * host (`X-Forwarded-Proto`, `X-Forwarded-Host`). Client IPs key the per-IP rate limits, so
 * trusting a hop that a client controls lets it pick a fresh address for every request.
 *
 * - `false`: nobody; the client is the TCP peer (no proxy in front).
 * - a number n: the TCP peer and the n − 1 hops recorded before it are proxies; the client is the
 *   n-th address from the right of `X-Forwarded-For`. Safe only when clients cannot reach the
 *   server except through those proxies (a direct client would be taken for a proxy).
 * - addresses: the TCP peer and every hop whose address is in the list (IPs or CIDR ranges) are
 *   proxies; the client is the right-most address outside the list.
 */
export type TrustProxy = false | number | string[];

const MAX_HOPS = 10;

export const TRUST_PROXY_TRUE =
  "TRUST_PROXY=true would trust every hop of X-Forwarded-For, so any client could pick its own IP address and escape the per-IP rate limits. Set the number of proxies in front of Fanlab (TRUST_PROXY=1 for one reverse proxy) or the proxies' addresses (TRUST_PROXY=10.0.0.0/8,127.0.0.1).";

/** Parses `TRUST_PROXY`: unset, `false` or `0`; a hop count (1–10); or a comma-separated list of IPs / CIDRs. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  const lower = text.toLowerCase();
  if (lower === '' || lower === 'false' || lower === '0') return false;
  if (lower === 'true') throw new Error(TRUST_PROXY_TRUE);
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) throw new Error(`TRUST_PROXY must be a hop count from 1 to ${MAX_HOPS}, got '${value}'`);
    return hops;
  }
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) checkAddress(entry, value ?? '');
  return entries;
}

function checkAddress(entry: string, whole: string) {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  const bad = (why: string) =>
    new Error(`TRUST_PROXY: '${entry}' ${why} (TRUST_PROXY='${whole}'; expected e.g. 1 or 10.0.0.0/8,127.0.0.1)`);
  if (!family || extra !== undefined) throw bad('is not an IP address or CIDR range');
  if (prefix === undefined) return;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || Number(prefix) > bits) throw bad(`has a prefix length outside 1–${bits}`);
  if (Number(prefix) === 0) throw bad('covers every address, which is TRUST_PROXY=true');
}

/**
 * The value for Fastify's `trustProxy`. Fastify (≥ 5.12.1) ignores a plain number (it no longer
 * trusts hop counts), so a hop count becomes the trust function `hop < n`: hop 0 is the TCP
 * peer, hop 1 the address it recorded last in `X-Forwarded-For`, and so on.
 */
export function trustProxyOption(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}
