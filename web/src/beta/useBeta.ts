import {
  type BetaApplicationListQuery,
  BetaChannelEvents,
  type BetaProgramListQuery,
  type BetaSeats,
  NotificationEvents,
} from '@fanlab/shared';
import { keepPreviousData, skipToken, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../account/useMe';
import { getBetaProgram, listBetaApplications, listBetaPrograms, listMyBetaApplications } from '../api/beta';
import { useLiveChannel } from '../live/useLiveChannel';
import { betaKeys } from './queryKeys';
import { newerSeats, seatsFromEvent, withLiveSeats } from './seatsState';

const PAGE_SIZE = 25;

/** Programs in one state (or all), page by page. */
export function useBetaProgramList(query: Omit<BetaProgramListQuery, 'cursor' | 'limit'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: betaKeys.list(query),
    queryFn: ({ pageParam }) =>
      listBetaPrograms({ ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/** One program by its slug. Live events keep its seats current, so focusing the window does not reload it. */
export function useBetaProgram(slug: string) {
  return useQuery({
    queryKey: betaKeys.detail(slug),
    queryFn: () => getBetaProgram(slug),
    staleTime: 30_000,
    refetchOnWindowFocus: false,
  });
}

/** The reader's applications (signed in only). */
export function useMyBetaApplications(enabled: boolean) {
  return useQuery({ queryKey: betaKeys.mine, queryFn: listMyBetaApplications, enabled });
}

/**
 * The program's seats now: the loaded snapshot or a newer `seats` event of `beta:<id>`, whichever
 * is newer. `followApplication`: the reader waits (waitlisted or pending), so a seat event may have
 * moved them: their application is loaded again.
 */
export function useLiveSeats(
  programId: number,
  slug: string,
  snapshot: BetaSeats,
  followApplication: boolean,
): BetaSeats {
  const queryClient = useQueryClient();
  const live = useQuery<BetaSeats>({ queryKey: betaKeys.seats(programId), queryFn: skipToken }).data;
  const current = newerSeats(snapshot, live);
  useLiveChannel(
    `beta:${programId}`,
    {
      onEvent: (event) => {
        if (event.event !== BetaChannelEvents.seats) return;
        const seats = seatsFromEvent(event.data);
        if (!seats) return;
        queryClient.setQueryData<BetaSeats>(betaKeys.seats(programId), (known) => withLiveSeats(known, seats));
        if (followApplication) {
          void queryClient.invalidateQueries({ queryKey: betaKeys.detail(slug) });
          void queryClient.invalidateQueries({ queryKey: betaKeys.mine });
        }
      },
      onSubscribed: ({ resumed }) => {
        // Events may have been missed: ask again (a request already on its way is reused).
        if (!resumed) void queryClient.invalidateQueries({ queryKey: betaKeys.detail(slug) }, { cancelRefetch: false });
      },
    },
    current.version,
  );
  return current;
}

/**
 * A decision about the reader's application (accepted, promoted from the waitlist, decided by a
 * manager) arrives as a notification on `user:<id>`: the programs and applications load again.
 */
export function useBetaNotificationsLive() {
  const queryClient = useQueryClient();
  const userId = useMe().data?.id;
  useLiveChannel(userId === undefined ? null : `user:${userId}`, {
    onEvent: (event) => {
      if (event.event !== NotificationEvents.changed) return;
      const kind = (event.data as { notification?: { kind?: unknown } } | null)?.notification?.kind;
      if (typeof kind === 'string' && kind.startsWith('beta_')) {
        void queryClient.invalidateQueries({ queryKey: betaKeys.all });
      }
    },
  });
}

/** A program's applications for its managers, filtered, page by page (application order). */
export function useBetaApplications(programId: number, filter: Omit<BetaApplicationListQuery, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: betaKeys.applicationList(programId, filter),
    queryFn: ({ pageParam }) =>
      listBetaApplications(programId, { ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
