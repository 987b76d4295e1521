import { IdeaChannelEvents, type IdeaDetail, type IdeaStatus, ideaStatuses } from '@fanlab/shared';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveEvent } from '../live/LiveClient';
import { useLiveChannel } from '../live/useLiveChannel';
import { patchIdeaStatus } from './ideaCache';
import { ideaKeys } from './queryKeys';
import { type VoteEntry, withLiveVotes } from './voteState';

function integer(data: unknown, field: string): number | undefined {
  const value = (data as Record<string, unknown> | null)?.[field];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function status(data: unknown): IdeaStatus | undefined {
  const value = (data as Record<string, unknown> | null)?.status;
  return (ideaStatuses as readonly unknown[]).includes(value) ? (value as IdeaStatus) : undefined;
}

/**
 * Follows `idea:<id>` while `enabled`: vote counts (newest voteVersion wins) and status changes.
 * `voteVersion` is what the reader has now, sent on (re)subscribing so the server sends only
 * what is newer. When the server cannot catch up, the idea and the boards are loaded again.
 */
export function useIdeaLive(id: number, voteVersion: number | undefined, enabled = true) {
  const queryClient = useQueryClient();

  // Both events are states of the idea: `votes` {voteCount, voteVersion}, `status` {status,
  // voteCount, voteVersion} (also the catch-up snapshot). Take from each whatever it carries.
  const onEvent = (event: LiveEvent) => {
    const voteCount = integer(event.data, 'voteCount');
    const version = integer(event.data, 'voteVersion') ?? event.cursor ?? undefined;
    if (voteCount !== undefined && version !== undefined) {
      queryClient.setQueryData<VoteEntry>(ideaKeys.votes(id), (entry) =>
        withLiveVotes(entry, { voteCount, voteVersion: version }),
      );
    }
    const next = status(event.data);
    const known = queryClient.getQueryData<IdeaDetail>(ideaKeys.detail(id))?.status;
    if (next && next !== known) patchIdeaStatus(queryClient, id, next);
    if (event.event === IdeaChannelEvents.status || (next && next !== known)) {
      // The timeline, the official response and whether votes are still taken come with the idea.
      void queryClient.invalidateQueries({ queryKey: ideaKeys.detail(id) });
    }
  };

  const onSubscribed = ({ resumed }: { resumed: boolean }) => {
    if (resumed) return;
    // Events may have been missed: ask again (requests already on their way are reused).
    void queryClient.invalidateQueries({ queryKey: ideaKeys.detail(id) }, { cancelRefetch: false });
    void queryClient.invalidateQueries({ queryKey: ideaKeys.lists }, { cancelRefetch: false });
  };

  useLiveChannel(enabled && voteVersion !== undefined ? `idea:${id}` : null, { onEvent, onSubscribed }, voteVersion);
}
