import { useSyncExternalStore } from 'react';

/** The reader's choice: follow the system's light or dark scheme, or keep one. */
export type Theme = 'system' | 'light' | 'dark';
export const themes: readonly Theme[] = ['system', 'light', 'dark'];

/** Kept per device (a phone at night and a desktop at work may want different ones). */
const STORAGE_KEY = 'fanlab:theme';

const isTheme = (value: unknown): value is Theme => themes.includes(value as Theme);

function stored(): Theme {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isTheme(value) ? value : 'system';
  } catch {
    return 'system'; // storage refused (private mode, a locked-down browser)
  }
}

let current: Theme = typeof window === 'undefined' ? 'system' : stored();
const listeners = new Set<() => void>();

/**
 * Puts the theme on `<html>`: `data-theme` for the stylesheet, whose colours are `light-dark()`
 * pairs chosen by `color-scheme` (styles.css). "system" leaves both to the browser.
 */
function apply(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** Applies the stored theme; main.tsx calls it before the first render, so nothing flashes. */
export function applyStoredTheme(): void {
  apply(current);
}

export function setTheme(theme: Theme): void {
  current = theme;
  try {
    if (theme === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // kept for this visit only
  }
  apply(theme);
  for (const listener of listeners) listener();
}

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => {
    listeners.delete(listener);
    query.removeEventListener('change', listener);
  };
}

/** The chosen theme, and the scheme it shows now ("system" resolved), kept current. */
export function useTheme(): { theme: Theme; scheme: 'light' | 'dark' } {
  const theme = useSyncExternalStore(subscribe, () => current);
  const systemDark = useSyncExternalStore(subscribe, () => darkQuery().matches);
  return { theme, scheme: theme === 'system' ? (systemDark ? 'dark' : 'light') : theme };
}
