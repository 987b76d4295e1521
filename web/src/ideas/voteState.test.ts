import { describe, expect, it } from 'vitest';
import {
  currentVotes,
  type VoteEntry,
  withLiveVotes,
  withoutPendingVote,
  withPendingVote,
  withVoteAnswer,
} from './voteState';

const loaded = { voteCount: 10, voteVersion: 5, voted: false };

describe('vote state', () => {
  it('shows the snapshot until something newer arrives', () => {
    expect(currentVotes(loaded, undefined)).toEqual({ ...loaded, pending: false });
    const live = withLiveVotes(undefined, { voteCount: 12, voteVersion: 7 });
    expect(currentVotes(loaded, live)).toEqual({ voteCount: 12, voteVersion: 7, voted: false, pending: false });
    // a fresher snapshot (a reload) beats an older live count
    expect(currentVotes({ voteCount: 13, voteVersion: 8, voted: true }, live).voteCount).toBe(13);
  });

  it('ignores live events that are not newer (coalesced or replayed out of order)', () => {
    const entry = withLiveVotes(undefined, { voteCount: 12, voteVersion: 7 });
    expect(withLiveVotes(entry, { voteCount: 11, voteVersion: 6 })).toBe(entry);
    expect(withLiveVotes(entry, { voteCount: 99, voteVersion: 7 })).toBe(entry);
    // an event older than the snapshot changes nothing on screen
    expect(
      currentVotes({ ...loaded, voteVersion: 9 }, withLiveVotes(undefined, { voteCount: 3, voteVersion: 8 })),
    ).toEqual({ ...loaded, voteVersion: 9, pending: false });
  });

  it('shows the reader’s vote at once and settles on the answer', () => {
    let entry: VoteEntry | undefined = withPendingVote(undefined, loaded, true);
    expect(currentVotes(loaded, entry)).toEqual({ voteCount: 11, voteVersion: 5, voted: true, pending: true });
    // others vote meanwhile: the pending view does not jump (no double count)
    entry = withLiveVotes(entry, { voteCount: 11, voteVersion: 6 });
    expect(currentVotes(loaded, entry).voteCount).toBe(11);
    entry = withVoteAnswer(entry, { voted: true, voteCount: 12, voteVersion: 7 });
    expect(currentVotes(loaded, entry)).toEqual({ voteCount: 12, voteVersion: 7, voted: true, pending: false });
  });

  it('keeps a newer live count over an older answer, and the answer’s vote', () => {
    let entry: VoteEntry | undefined = withPendingVote(undefined, loaded, true);
    entry = withLiveVotes(entry, { voteCount: 14, voteVersion: 9 });
    entry = withVoteAnswer(entry, { voted: true, voteCount: 11, voteVersion: 6 });
    expect(currentVotes(loaded, entry)).toEqual({ voteCount: 14, voteVersion: 9, voted: true, pending: false });
  });

  it('rolls back to the newest known count when the vote fails', () => {
    const mine = { ...loaded, voted: true };
    let entry: VoteEntry | undefined = withPendingVote(undefined, mine, false);
    expect(currentVotes(mine, entry)).toMatchObject({ voteCount: 9, voted: false, pending: true });
    entry = withLiveVotes(entry, { voteCount: 15, voteVersion: 8 });
    entry = withoutPendingVote(entry);
    expect(currentVotes(mine, entry)).toEqual({ voteCount: 15, voteVersion: 8, voted: true, pending: false });
  });
});
