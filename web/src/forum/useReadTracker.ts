import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { markThreadRead } from '../api/forum';
import { forumKeys } from './queryKeys';
import { patchThread } from './threadCache';

const DEBOUNCE_MS = 1_000;

/** A post counts as seen when half of it, or half of the screen's worth of it, has been in view. */
function seen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const screen = entry.rootBounds?.height ?? window.innerHeight;
  return entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= screen / 2;
}

/**
 * Moves the reader's marker as posts come into view: the highest post number seen is sent
 * (PUT /api/threads/:id/read) a second after scrolling settles, and only when it is further
 * than what the server already has. Returns a ref callback for each post's element, which
 * must carry `data-post-number`. Mount it once per thread (key the page by thread id).
 */
export function useReadTracker(threadId: number, lastRead: number | undefined, enabled: boolean) {
  const queryClient = useQueryClient();
  const state = useRef({
    sent: 0,
    highestSeen: 0,
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
    observer: null as IntersectionObserver | null,
  });
  if (lastRead !== undefined && lastRead > state.current.sent) state.current.sent = lastRead;

  const send = useCallback(
    (leaving = false) => {
      const current = state.current;
      current.timer = undefined;
      const target = current.highestSeen;
      const before = current.sent;
      if (target <= before) return;
      current.sent = target;
      markThreadRead(threadId, target, leaving).then(
        (marker) => {
          current.sent = Math.max(current.sent, marker);
          patchThread(queryClient, threadId, { lastReadPostNumber: current.sent });
          // Lists show unread counts: load them again when they are next shown.
          void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists, refetchType: 'none' });
        },
        () => {
          // Try again when the next post comes into view.
          if (current.sent === target) current.sent = before;
        },
      );
    },
    [queryClient, threadId],
  );

  const observe = useCallback(
    (element: HTMLElement) => {
      const current = state.current;
      if (typeof IntersectionObserver === 'undefined') return undefined;
      current.observer ??= new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!seen(entry)) continue;
            const number = Number((entry.target as HTMLElement).dataset.postNumber);
            if (Number.isSafeInteger(number) && number > current.highestSeen) current.highestSeen = number;
          }
          if (current.highestSeen > current.sent) {
            if (current.timer) clearTimeout(current.timer);
            current.timer = setTimeout(() => send(), DEBOUNCE_MS);
          }
        },
        { threshold: [0, 0.25, 0.5, 0.75, 1] },
      );
      const observer = current.observer;
      observer.observe(element);
      return () => observer.unobserve(element);
    },
    [send],
  );

  // Leaving the thread (or the page, or the browser tab) sends what is pending at once.
  useEffect(() => {
    const current = state.current;
    const flush = () => {
      if (!current.timer) return;
      clearTimeout(current.timer);
      send(true);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      current.observer?.disconnect();
      current.observer = null;
      flush();
    };
  }, [send]);

  return useCallback(
    (element: HTMLElement | null) => (element && enabled ? observe(element) : undefined),
    [enabled, observe],
  );
}
