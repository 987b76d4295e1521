import { createHash } from 'node:crypto';
import { ErrorCodes, UPLOAD_MAX_EDGE } from '@fanlab/shared';
import sharp from 'sharp';
import { AppError } from '../http/errors';

/** Formats Fanlab decodes (what a browser sends as image/png, jpeg, webp or gif). */
const FORMATS = new Set(['png', 'jpeg', 'webp', 'gif']);
/** Larger images are refused before decoding: a 50,000 × 50,000 "bomb" is a few KB of PNG. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Images re-encoded at once in this process; more wait (each uses libvips's threads). */
const PARALLEL = 2;
/** More waiting than this answers 503: uploads cannot pile up a process's memory. */
const MAX_WAITING = 32;

// one libvips thread per image: two at once fill two cores, and requests keep a core between them
sharp.concurrency(1);
sharp.cache(false);

export interface Reencoded {
  key: string;
  bytes: Buffer;
  width: number;
  height: number;
}

/** One member's images in this process at once (waiting or re-encoded); more answer 429. */
const PER_MEMBER = 10;

let running = 0;
const waiting: (() => void)[] = [];
const perMember = new Map<number, number>();

async function turn<T>(ownerId: number, work: () => Promise<T>): Promise<T> {
  const mine = perMember.get(ownerId) ?? 0;
  if (mine >= PER_MEMBER) {
    throw new AppError(
      429,
      ErrorCodes.rateLimited,
      `You are uploading ${PER_MEMBER} images already. Wait for them to finish.`,
      { retryAfter: 5 },
      { 'retry-after': '5' },
    );
  }
  perMember.set(ownerId, mine + 1);
  try {
    return await processingTurn(work);
  } finally {
    const left = (perMember.get(ownerId) ?? 1) - 1;
    if (left > 0) perMember.set(ownerId, left);
    else perMember.delete(ownerId);
  }
}

async function processingTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) {
    if (waiting.length >= MAX_WAITING) {
      throw new AppError(
        503,
        ErrorCodes.unavailable,
        'Many images are being uploaded right now. Try again shortly.',
        undefined,
        {
          'retry-after': '5',
        },
      );
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

const unsupported = () =>
  new AppError(415, ErrorCodes.unsupportedImage, 'This is not a PNG, JPEG, WebP or GIF image Fanlab can read.');

/**
 * Re-encodes an uploaded image as WebP: upright (its EXIF orientation applied), at most
 * UPLOAD_MAX_EDGE pixels on its longer side, animation kept, and nothing else of the original
 * kept (sharp writes no metadata unless asked: no EXIF, GPS, XMP, ICC comments, file names).
 * The key is the sha256 of the result. Refuses what is not an image it reads with 415. Two
 * images at once per process, at most 32 waiting (503 past that), 10 per member (429).
 */
export function reencodeImage(input: Buffer, ownerId: number): Promise<Reencoded> {
  return turn(ownerId, async () => {
    let meta: sharp.Metadata;
    try {
      // the header only: the pixel count is checked below, with its own answer
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch {
      throw unsupported();
    }
    if (!meta.format || !FORMATS.has(meta.format)) throw unsupported();
    // every frame of an animation counts: 500 frames of 1000 × 1000 decode to as much as one huge image
    const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1);
    if (pixels > MAX_INPUT_PIXELS) {
      throw new AppError(
        413,
        ErrorCodes.payloadTooLarge,
        'The image has too many pixels (50 megapixels at most, all frames of an animation together).',
      );
    }
    const animated = (meta.pages ?? 1) > 1;
    try {
      let image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, animated, failOn: 'error' });
      if (!animated) image = image.rotate();
      const { data, info } = await image
        .resize({ width: UPLOAD_MAX_EDGE, height: UPLOAD_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: meta.format === 'png' ? 90 : 82, effort: 4 })
        .toBuffer({ resolveWithObject: true });
      const key = `${createHash('sha256').update(data).digest('hex')}.webp`;
      return { key, bytes: data, width: info.width, height: info.pageHeight ?? info.height };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw unsupported();
    }
  });
}
