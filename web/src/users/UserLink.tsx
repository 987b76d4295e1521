import { type MouseEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useDismiss } from '../components/useDismiss';
import { UserCard } from './UserCard';

const OPEN_DELAY_MS = 500;
const CLOSE_DELAY_MS = 250;

/**
 * A username linking to the profile. A plain click (or resting the pointer on it) opens a
 * small user card instead; the card links to the profile. Escape or a click elsewhere closes it.
 */
export function UserLink({ username }: { username: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const cardId = useId();
  const wrapper = useRef<HTMLSpanElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const later = (action: () => void, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(action, delay);
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  useDismiss(open, wrapper, close);

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    clearTimeout(timer.current);
    setOpen((current) => !current);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hovering only opens the card early; the link opens it from the keyboard
    <span
      ref={wrapper}
      className="user-link-wrap"
      onMouseEnter={() => later(() => setOpen(true), OPEN_DELAY_MS)}
      onMouseLeave={() => later(() => setOpen(false), CLOSE_DELAY_MS)}
    >
      <Link
        to={`/u/${encodeURIComponent(username)}`}
        className="user-link"
        data-testid="user-link"
        aria-expanded={open}
        aria-controls={open ? cardId : undefined}
        onClick={onClick}
      >
        {username}
      </Link>
      {open ? <UserCard username={username} id={cardId} /> : null}
    </span>
  );
}
