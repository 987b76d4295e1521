/**
 * A member's letter avatar: the first letter of their name on a colour of their own (the same
 * name always gets the same one). Decorative: the name is always written beside it.
 */
const COLOURS = ['#5b3cc4', '#1a4fa0', '#0b5f6b', '#1e6b34', '#7a4d00', '#9c1f63', '#b3261e', '#55535f'] as const;

/** Stable across sessions and devices: FNV-1a of the name. */
function colourOf(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name.toLowerCase()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return COLOURS[hash % COLOURS.length] as string;
}

export function Avatar({ username, size = 'small' }: { username: string; size?: 'small' | 'large' }) {
  const letter = [...username][0]?.toLocaleUpperCase() ?? '?';
  return (
    <span
      className={`avatar avatar-${size}`}
      style={{ backgroundColor: colourOf(username) }}
      aria-hidden="true"
      data-testid="avatar"
    >
      {letter}
    </span>
  );
}
