import { REVIEW_CHANNEL, type ReviewActionBody, type ReviewQueueQuery } from '@fanlab/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../account/useMe';
import { decideReviewable, getReviewCounts, getReviewQueue, setReviewClaim } from '../api/moderation';
import { useLiveChannel } from '../live/useLiveChannel';

export const reviewKey = ['review'] as const;

/** The queue, page by page, for these filters. */
export function useReviewQueue(filter: Omit<ReviewQueueQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: [...reviewKey, 'queue', filter],
    queryFn: ({ pageParam }) => getReviewQueue({ ...filter, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Items waiting, for the header badge (staff only). */
export function useReviewCounts(enabled: boolean) {
  return useQuery({ queryKey: [...reviewKey, 'counts'], queryFn: getReviewCounts, enabled });
}

/**
 * Reloads the queue and its counts whenever anything in it changes, for every moderator watching.
 * Mounted once, by the header's review link (every staff page has it), so one event is one reload.
 */
export function useReviewLive() {
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  useLiveChannel(me?.canReview ? REVIEW_CHANNEL : null, {
    onEvent: () => void queryClient.invalidateQueries({ queryKey: reviewKey }),
    onSubscribed: () => void queryClient.invalidateQueries({ queryKey: reviewKey }),
  });
}

export function useDecide() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: ReviewActionBody }) => decideReviewable(id, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKey }),
  });
}

export function useClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, claim }: { id: number; claim: boolean }) => setReviewClaim(id, claim),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKey }),
  });
}
