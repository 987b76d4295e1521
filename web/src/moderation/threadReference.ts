/**
 * The thread a moderator means by what they typed or pasted: its number (`123`, `#123`) or its
 * address (`/t/123`, `/t/123/4`, `https://fans.example.com/t/123#post-5`). Null for anything else
 * (then the text is searched for).
 */
export function threadReference(text: string): number | null {
  const value = text.trim();
  const match = /^#?(\d{1,15})$/.exec(value) ?? /(?:^|\/)t\/(\d{1,15})(?:[/?#]|$)/.exec(value);
  const id = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
