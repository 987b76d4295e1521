import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** What j and k move between: a thread's posts, the rows of thread and idea lists. */
const ITEMS = '[data-testid=post], [data-testid=thread-list-item], [data-testid=idea-list-item]';
const SELECTED = 'keyboard-selected';
/** How long the second key of a "g h"-like pair may take. */
const PAIR_MS = 1200;

const PAIRS: Record<string, string> = { h: '/', l: '/latest', i: '/ideas' };

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const visible = (element: HTMLElement) => element.offsetParent !== null || element.getClientRects().length > 0;

/** Moves the keyboard selection `by` items (1: j, −1: k) and brings it into view, focused. */
function moveSelection(by: 1 | -1): void {
  const items = [...document.querySelectorAll<HTMLElement>(ITEMS)].filter(visible);
  if (items.length === 0) return;
  const current = items.findIndex((item) => item.classList.contains(SELECTED));
  let next: number;
  if (current === -1) {
    // nothing selected yet: start from what is on the screen (the first item below the header)
    const top = items.findIndex((item) => item.getBoundingClientRect().bottom > 80);
    next = top === -1 ? items.length - 1 : by === 1 ? top : Math.max(0, top - 1);
  } else {
    next = Math.min(items.length - 1, Math.max(0, current + by));
  }
  for (const item of items) item.classList.remove(SELECTED);
  const item = items[next] as HTMLElement;
  item.classList.add(SELECTED);
  if (!item.hasAttribute('tabindex')) item.tabIndex = -1;
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: 'center', behavior: 'instant' });
}

/** The selected item's own link (a list row's title; a post has none to open). */
function openSelection(navigate: (to: string) => void): boolean {
  const item = document.querySelector<HTMLElement>(`.${SELECTED}`);
  if (!item || document.activeElement !== item) return false;
  if (item.dataset.testid === 'post') return false;
  const link = item.querySelector<HTMLAnchorElement>('[data-testid=thread-link], [data-testid=idea-link]');
  if (!link) return false;
  navigate(link.getAttribute('href') as string);
  return true;
}

/** The header's search box, or the search page where the header folds it away (phones). */
function focusSearch(navigate: (to: string) => void): void {
  const input = document.querySelector<HTMLInputElement>('[data-testid=header-search-input]');
  if (input && visible(input)) input.focus();
  else navigate('/search');
}

function focusReply(): boolean {
  const box = document.querySelector<HTMLTextAreaElement>('[data-testid=reply-composer] textarea');
  if (!box) return false;
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: 'center' });
  return true;
}

const shortcuts = [
  { keys: ['j'], label: 'shortcuts.next' },
  { keys: ['k'], label: 'shortcuts.previous' },
  { keys: ['o'], label: 'shortcuts.openItem' },
  { keys: ['r'], label: 'shortcuts.reply' },
  { keys: ['/'], label: 'shortcuts.search' },
  { keys: ['g', 'h'], label: 'shortcuts.home' },
  { keys: ['g', 'l'], label: 'shortcuts.latest' },
  { keys: ['g', 'i'], label: 'shortcuts.ideas' },
  { keys: ['?'], label: 'shortcuts.help' },
] as const;

/**
 * Discourse's keys for reading without the mouse: j/k between posts or list rows, o (or Enter)
 * opens a row, r replies, / searches, g then h/l/i goes home, to Latest or Ideas, ? shows them
 * all. Keys typed into a field, or with Ctrl, Alt or Meta, are left alone.
 */
export function KeyboardShortcuts() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  /** When g was pressed, waiting for its second key (0: not waiting). */
  const gPressedAt = useRef(0);

  const openHelp = useCallback(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typingIn(event.target) || dialog.current?.open) return;
      const waiting = Date.now() - gPressedAt.current < PAIR_MS;
      gPressedAt.current = 0;
      if (waiting) {
        const to = PAIRS[event.key];
        if (to) {
          event.preventDefault();
          navigate(to);
        }
        return;
      }
      switch (event.key) {
        case 'j':
        case 'k':
          event.preventDefault();
          moveSelection(event.key === 'j' ? 1 : -1);
          return;
        case 'o':
        case 'Enter':
          if (openSelection(navigate)) event.preventDefault();
          return;
        case 'r':
          if (focusReply()) event.preventDefault();
          return;
        case '/':
          event.preventDefault();
          focusSearch(navigate);
          return;
        case '?':
          event.preventDefault();
          openHelp();
          return;
        case 'g':
          gPressedAt.current = Date.now();
          return;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navigate, openHelp]);

  return (
    <>
      <button type="button" className="link-button shortcuts-link" data-testid="shortcuts-open" onClick={openHelp}>
        {t('shortcuts.open')} <kbd>?</kbd>
      </button>
      <dialog ref={dialog} className="shortcuts-dialog card" aria-labelledby="shortcuts-title" data-testid="shortcuts">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <dl className="shortcuts-list">
          {shortcuts.map(({ keys, label }) => (
            <div key={label} className="shortcut">
              <dt>
                {keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 ? ` ${t('shortcuts.then')} ` : null}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{t(label)}</dd>
            </div>
          ))}
        </dl>
        <p className="actions">
          <button
            type="button"
            className="button button-small"
            data-testid="shortcuts-close"
            onClick={() => dialog.current?.close()}
          >
            {t('shortcuts.close')}
          </button>
        </p>
      </dialog>
    </>
  );
}
