import { TAG_PATTERN } from '@fanlab/shared';

export const MAX_TAGS = 10;
const tagPattern = new RegExp(TAG_PATTERN);

export function isTag(value: string | null | undefined): value is string {
  return typeof value === 'string' && tagPattern.test(value);
}

export type ParsedTags = { ok: true; tags: string[] } | { ok: false; invalid: string[] } | { ok: false; tooMany: true };

/** "Dark mode, ios  android" → ['dark', 'mode', …]: tags split on commas and spaces, lower-cased, once each. */
export function parseTags(input: string): ParsedTags {
  const tags = [
    ...new Set(
      input
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
  const invalid = tags.filter((tag) => !isTag(tag));
  if (invalid.length) return { ok: false, invalid };
  if (tags.length > MAX_TAGS) return { ok: false, tooMany: true };
  return { ok: true, tags };
}
