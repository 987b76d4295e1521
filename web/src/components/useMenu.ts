import { type RefObject, useCallback, useEffect, useId, useState } from 'react';
import { useLocation } from 'react-router';
import { useDismiss } from './useDismiss';

/**
 * A header menu's state: open or not, closed again on navigation, on Escape and on a press
 * outside `wrapper`. `id` names the menu's element for its button's `aria-controls`.
 */
export function useMenu(wrapper: RefObject<HTMLElement | null>) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const toggle = useCallback(() => setOpen((current) => !current), []);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the location changes
  useEffect(() => setOpen(false), [location.key]);
  useDismiss(open, wrapper, close);
  return { id, open, close, toggle };
}
