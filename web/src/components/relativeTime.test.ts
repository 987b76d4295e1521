import { describe, expect, it } from 'vitest';
import { formatRelative } from './relativeTime';

const now = Date.parse('2025-06-15T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000);

describe('formatRelative', () => {
  it('speaks English', () => {
    expect(formatRelative(ago(5), 'en', now)).toBe('now');
    expect(formatRelative(ago(3 * 60), 'en', now)).toBe('3 minutes ago');
    expect(formatRelative(ago(2 * 3600), 'en', now)).toBe('2 hours ago');
    expect(formatRelative(ago(24 * 3600), 'en', now)).toBe('yesterday');
    expect(formatRelative(ago(400 * 24 * 3600), 'en', now)).toBe('last year');
  });

  it('speaks Spanish', () => {
    expect(formatRelative(ago(3 * 60), 'es', now)).toBe('hace 3 minutos');
    expect(formatRelative(ago(24 * 3600), 'es', now)).toBe('ayer');
  });
});
