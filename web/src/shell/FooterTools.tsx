import { KeyboardShortcuts } from './KeyboardShortcuts';
import { ThemeSelect } from './ThemeSelect';

/**
 * The footer's theme switch and keyboard shortcuts: loaded after the page (a chunk of their own,
 * Layout), so they cost the first load nothing; the stored theme is applied before it (main.tsx).
 */
export function FooterTools() {
  return (
    <div className="site-footer-tools">
      <ThemeSelect />
      <KeyboardShortcuts />
    </div>
  );
}
