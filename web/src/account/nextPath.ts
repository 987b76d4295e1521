const BASE = 'https://fanlab.invalid';

/**
 * The page to go to after signing in: `next` when it is a path on this site (one leading
 * slash, no scheme, no host), otherwise `fallback`. Guards against open redirects.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  for (let i = 0; i < next.length; i++) {
    const code = next.charCodeAt(i);
    // Browsers drop tabs and newlines from URLs, so `/\t/evil.example` would become `//evil.example`.
    if (code < 0x20 || code === 0x7f) return fallback;
  }
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Normalising can make a new `//` (`/.//evil.example` → `//evil.example`, a host for the
  // browser): check the result again, as it will be used.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return fallback;
  return path;
}

/** Links to a sign-in (or sign-up) page that comes back to `next` afterwards. */
export function withNext(path: '/sign-in' | '/sign-up', next: string | null | undefined): string {
  const safe = safeNextPath(next, '');
  return safe && safe !== '/' ? `${path}?next=${encodeURIComponent(safe)}` : path;
}
