import { promises as dns, type LookupAddress } from 'node:dns';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './addresses';

/** Limits of one remote image fetch. */
export const IMAGE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
  /** No byte for this long (connecting, TLS, headers, body) ends the fetch. */
  idleTimeoutMs: 5_000,
  /** The whole fetch, redirects included. */
  totalTimeoutMs: 15_000,
};

/**
 * For tests only (set through buildApp options, never from the environment): hosts that may be
 * fetched although their address is not public (a local HTTPS server playing the remote site),
 * and the certificate authority to trust for them.
 */
export interface ImageFetchOptions {
  allowHosts?: string[];
  ca?: string | Buffer;
}

export type FetchedImage = { ok: true; contentType: string; bytes: Buffer } | { ok: false; error: string };

/** Why a fetch was refused or failed; the message is stored and shown to nobody but operators. */
export class ImageFetchError extends Error {}

/** The image type of the first bytes: png, jpeg, gif, webp or avif; anything else (SVG, HTML…) is undefined. */
export function sniffImageType(head: Buffer): string | undefined {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 16 && ascii(4, 8) === 'ftyp') {
    // ISO base media file: the major brand, then compatible brands, up to the box's end
    const boxEnd = Math.min(head.readUInt32BE(0), head.length);
    const brands = [ascii(8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(at, at + 4));
    if (brands.includes('avif') || brands.includes('avis')) return 'image/avif';
  }
  return undefined;
}

/**
 * Resolves `hostname` once and vets every address it has: one private address among public
 * ones refuses the host (the connection then uses only these vetted addresses, so a DNS answer
 * that changes between check and connect cannot point it elsewhere).
 */
async function vettedAddresses(hostname: string, options: ImageFetchOptions): Promise<LookupAddress[]> {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const allowed = options.allowHosts?.includes(bare) ?? false;
  if (isIP(bare)) {
    if (!allowed && !isPublicAddress(bare)) throw new ImageFetchError(`address ${bare} is not public`);
    return [{ address: bare, family: isIP(bare) }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(bare, { all: true, verbatim: true });
  } catch {
    throw new ImageFetchError(`host ${bare} does not resolve`);
  }
  if (addresses.length === 0) throw new ImageFetchError(`host ${bare} does not resolve`);
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad && !allowed) throw new ImageFetchError(`host ${bare} resolves to ${bad.address}, which is not public`);
  return addresses;
}

/** A `lookup` for net.connect that answers with the addresses vetted before, never asking DNS again. */
function fixedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0] as LookupAddress;
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, addresses);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

interface Answer {
  status: number;
  location?: string;
  contentType?: string;
  bytes?: Buffer;
}

function requestOnce(url: URL, addresses: LookupAddress[], options: ImageFetchOptions, signal: AbortSignal) {
  return new Promise<Answer>((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'GET',
        lookup: fixedLookup(addresses),
        ca: options.ca,
        agent: false,
        signal,
        timeout: IMAGE_LIMITS.idleTimeoutMs,
        headers: {
          accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif',
          'accept-encoding': 'identity',
          'user-agent': 'Fanlab image proxy',
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.destroy();
          resolve({ status, location: response.headers.location });
          return;
        }
        if (status !== 200) {
          response.destroy();
          resolve({ status });
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > IMAGE_LIMITS.maxBytes) {
          reject(new ImageFetchError(`image is larger than ${IMAGE_LIMITS.maxBytes} bytes`));
          response.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > IMAGE_LIMITS.maxBytes) {
            // settle first: destroying emits 'aborted' at once
            reject(new ImageFetchError(`image is larger than ${IMAGE_LIMITS.maxBytes} bytes`));
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
        response.on('aborted', () => reject(new ImageFetchError('the connection closed early')));
      },
    );
    request.on('timeout', () => request.destroy(new ImageFetchError('the host stopped answering')));
    request.on('error', reject);
    request.end();
  });
}

/**
 * Fetches a remote image under the rules of docs/architecture.md (Security: post images):
 * https only, public addresses only (every redirect vetted again), at most 3 redirects, 5 s
 * without progress or 15 s in all, 5 MiB at most, and png, jpeg, gif, webp or avif by content.
 * Never throws: a refusal or failure is `{ ok: false, error }`.
 */
export async function fetchImage(url: string, options: ImageFetchOptions = {}): Promise<FetchedImage> {
  const signal = AbortSignal.timeout(IMAGE_LIMITS.totalTimeoutMs);
  try {
    let current = new URL(url);
    for (let redirects = 0; ; redirects += 1) {
      if (current.protocol !== 'https:') throw new ImageFetchError(`${current.protocol} is not https`);
      if (current.username || current.password) throw new ImageFetchError('URLs with credentials are not fetched');
      const addresses = await vettedAddresses(current.hostname, options);
      const answer = await requestOnce(current, addresses, options, signal);
      if (answer.status >= 300 && answer.status < 400) {
        if (!answer.location) throw new ImageFetchError(`redirect ${answer.status} without a location`);
        if (redirects >= IMAGE_LIMITS.maxRedirects) throw new ImageFetchError('too many redirects');
        current = new URL(answer.location, current);
        continue;
      }
      if (answer.status !== 200 || !answer.bytes) throw new ImageFetchError(`the host answered ${answer.status}`);
      const contentType = sniffImageType(answer.bytes.subarray(0, 64));
      if (!contentType) throw new ImageFetchError('not a png, jpeg, gif, webp or avif image');
      return { ok: true, contentType, bytes: answer.bytes };
    }
  } catch (err) {
    if (err instanceof ImageFetchError) return { ok: false, error: err.message };
    if (signal.aborted) return { ok: false, error: 'the fetch took too long' };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
