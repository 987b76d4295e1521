import { ThreadChannelEvents } from '@fanlab/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { getThread } from '../api/forum';
import type { LiveEvent } from '../live/LiveClient';
import { useLiveChannel } from '../live/useLiveChannel';
import { forumKeys } from './queryKeys';
import { appendPage, refreshPost, removePosts } from './threadCache';

interface Options {
  threadId: number;
  /** The thread's highest post number when it was loaded: the channel cursor. Undefined until loaded. */
  cursor: number | undefined;
  /** Post numbers on the page now. */
  loaded: ReadonlySet<number>;
  /** Whether every post up to the newest is loaded (otherwise "Load more posts" brings new ones). */
  complete: boolean;
  meId: number | undefined;
}

/** Most posts we count after missing events (a reconnect without replay). */
const MAX_GAP = 200;

function numberField(data: unknown, field: string): number | undefined {
  const value = (data as Record<string, unknown> | null)?.[field];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Follows `thread:<id>`: replies by others are counted (not shown) until the reader asks for
 * them, and so are posts moved here from another thread; posts moved away leave the page at
 * once; edited posts are reloaded in place. Own replies are left to the reply form, which
 * appends them itself.
 */
export function useThreadLive({ threadId, cursor, loaded, complete, meId }: Options) {
  const queryClient = useQueryClient();
  const [announced, setAnnounced] = useState<ReadonlySet<number>>(new Set());
  const [loading, setLoading] = useState(false);

  const announce = useCallback((numbers: number[]) => {
    setAnnounced((current) => {
      const next = new Set(current);
      for (const number of numbers) next.add(number);
      return next;
    });
  }, []);

  const onEvent = (event: LiveEvent) => {
    if (event.event === ThreadChannelEvents.threadUpdated) {
      // pinned, locked, unlisted or moved: reload the header (and who may reply)
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(threadId) });
      return;
    }
    if (event.event === ThreadChannelEvents.postsMoved) {
      const first = numberField(event.data, 'firstPostNumber');
      const last = numberField(event.data, 'lastPostNumber');
      if (first !== undefined && last !== undefined) {
        // moved in: announced like new replies, under their new numbers
        const numbers: number[] = [];
        for (let number = first; number <= last && numbers.length < MAX_GAP; number++) {
          if (!loaded.has(number)) numbers.push(number);
        }
        announce(numbers);
        return;
      }
      // moved out: off the page now, then the thread again (its counts; a merged thread is gone)
      const moved = (event.data as { postNumbers?: unknown } | null)?.postNumbers;
      if (Array.isArray(moved)) {
        removePosts(
          queryClient,
          threadId,
          moved.filter((n): n is number => typeof n === 'number'),
        );
      }
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(threadId) });
      return;
    }
    const postNumber = numberField(event.data, 'postNumber');
    if (postNumber === undefined) return;
    if (event.event === ThreadChannelEvents.postCreated) {
      if (numberField(event.data, 'authorId') === meId || loaded.has(postNumber)) return;
      announce([postNumber]);
    } else if (event.event === ThreadChannelEvents.postUpdated && loaded.has(postNumber)) {
      void refreshPost(queryClient, threadId, postNumber);
    }
  };

  const onSubscribed = ({ cursor: newest, resumed }: { cursor: number | null; resumed: boolean }) => {
    // Without a replay we may have missed announcements: count what is newer than what we have.
    if (resumed || newest === null || cursor === undefined) return;
    const highest = Math.max(cursor, ...loaded);
    const missed: number[] = [];
    for (let number = highest + 1; number <= newest && missed.length < MAX_GAP; number++) missed.push(number);
    if (missed.length) announce(missed);
  };

  useLiveChannel(cursor === undefined ? null : `thread:${threadId}`, { onEvent, onSubscribed }, cursor);

  const pending = useMemo(() => [...announced].filter((number) => !loaded.has(number)), [announced, loaded]);

  /** Loads the announced replies (and anything else new) after what is on the page. */
  const loadNew = useCallback(async () => {
    if (!pending.length) return;
    setLoading(true);
    try {
      let after = Math.min(...pending) - 1;
      for (let pages = 0; pages < 20; pages++) {
        const page = await getThread(threadId, after);
        appendPage(queryClient, threadId, after, page);
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
    } finally {
      setLoading(false);
    }
  }, [pending, queryClient, threadId]);

  return { newCount: complete ? pending.length : 0, loadNew, loadingNew: loading };
}
