import { useCallback, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/**
 * Text typed and not yet sent, by the editors on the page now (a new thread, a reply, an edit).
 * One guard in the layout (UnsavedTextGuard) asks before leaving while any is unsaved: a router
 * supports a single blocker, and a thread page can hold a reply and an edit at once.
 */
const unsaved = new Set<string>();

/**
 * Marks this editor's text as unsaved while `dirty`. Returns `release`, to call just before the
 * editor itself navigates away after sending (the mark would otherwise be cleared only after the
 * next render, too late for that navigation).
 */
export function useUnsavedText(dirty: boolean): () => void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return;
    unsaved.add(id);
    return () => {
      unsaved.delete(id);
    };
  }, [dirty, id]);
  return useCallback(() => {
    unsaved.delete(id);
  }, [id]);
}

/** Asks before a navigation (in the app, a reload, a closed tab) would drop unsaved text. */
export function UnsavedTextGuard() {
  const { t } = useTranslation();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsaved.size > 0 &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  const asking = useRef(false);
  useEffect(() => {
    if (blocker.state !== 'blocked' || asking.current) return;
    asking.current = true;
    const leave = window.confirm(t('composer.leaveUnsaved'));
    asking.current = false;
    if (leave) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (unsaved.size === 0) return;
      event.preventDefault();
      // older browsers show their own prompt only when returnValue is set
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);
  return null;
}
