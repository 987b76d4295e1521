import { ErrorCodes, type IdeaDetail, type VoteResponse } from '@fanlab/shared';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { unvoteIdea, voteIdea } from '../api/ideas';
import { ideaKeys } from './queryKeys';
import {
  currentVotes,
  type VoteEntry,
  type VoteSnapshot,
  type VoteView,
  withoutPendingVote,
  withPendingVote,
  withVoteAnswer,
} from './voteState';

/** Vote states outlive the rows that showed them for a while (going back to a board). */
const KEEP_MS = 30 * 60_000;

/** Answers after which the idea itself should be loaded again (it closed, the budget ran out…). */
const RELOAD_ON = new Set<string>([
  ErrorCodes.ideaClosed,
  ErrorCodes.voteBudgetExhausted,
  ErrorCodes.silenced,
  ErrorCodes.notFound,
]);

/**
 * An idea's vote count and the reader's vote, newest of what was loaded (`snapshot`), heard
 * live and answered to our own votes; and `toggle`, which shows the vote at once and takes it
 * back if the server refuses.
 */
export function useIdeaVote(id: number, snapshot: VoteSnapshot) {
  const queryClient = useQueryClient();
  const key = ideaKeys.votes(id);
  const entry = useQuery<VoteEntry>({ queryKey: key, queryFn: skipToken, gcTime: KEEP_MS }).data;
  const view = currentVotes(snapshot, entry);

  // Visitors are asked to sign in rather than sent to be refused.
  const { data: me, isPending: mePending } = useMe();
  const held = me?.votesHeld ?? false;

  const mutation = useMutation({
    mutationFn: ({ voted }: { voted: boolean; shown: VoteView }) => (voted ? voteIdea(id) : unvoteIdea(id)),
    onMutate: ({ voted, shown }) => {
      queryClient.setQueryData<VoteEntry>(key, (current) => withPendingVote(current, shown, voted, !held));
    },
    onSuccess: (answer: VoteResponse) => {
      queryClient.setQueryData<VoteEntry>(key, (current) => withVoteAnswer(current, answer));
      queryClient.setQueryData<IdeaDetail>(ideaKeys.detail(id), (detail) =>
        detail ? { ...detail, budgetLeft: answer.budgetLeft, voteHeld: answer.held } : detail,
      );
      // Budgets are per category: the other ideas' "votes left" are out of date.
      void queryClient.invalidateQueries({
        queryKey: ideaKeys.details,
        refetchType: 'none',
        predicate: (query) => query.queryKey[2] !== id,
      });
    },
    onError: (error) => {
      queryClient.setQueryData<VoteEntry | undefined>(key, (current) => withoutPendingVote(current));
      if (error instanceof ApiError && RELOAD_ON.has(error.code)) {
        void queryClient.invalidateQueries({ queryKey: ideaKeys.detail(id) });
        if (error.code === ErrorCodes.ideaClosed) void queryClient.invalidateQueries({ queryKey: ideaKeys.lists });
      }
    },
  });

  const [signedOutClick, setSignedOutClick] = useState(false);
  const signedOut = !mePending && !me;

  const toggle = () => {
    if (signedOut) {
      setSignedOutClick(true);
      return;
    }
    if (view.pending) return;
    mutation.reset();
    mutation.mutate({ voted: !view.voted, shown: view });
  };

  const error =
    signedOut && signedOutClick ? new ApiError(401, ErrorCodes.unauthenticated, 'Sign in to vote.') : mutation.error;
  /** New member: their votes wait for trust level 1 (the count does not move). */
  return { ...view, toggle, error, held };
}

export type IdeaVote = ReturnType<typeof useIdeaVote>;
