/**
 * The vote count of an idea as the reader sees it, from three sources that arrive in any order:
 * snapshots loaded over HTTP (boards, the idea page), live events and the reader's own votes.
 * `voteVersion` orders them: whatever carries the highest version is the truth, older news is
 * ignored. The reader's vote shows at once (optimistically) and is forgotten if it fails.
 */

/** What a board row or the idea page loaded. */
export interface VoteSnapshot {
  voteCount: number;
  voteVersion: number;
  voted: boolean;
}

/** A vote of the reader's that the server has not answered yet. */
export interface PendingVote {
  /** What the reader asked for. */
  voted: boolean;
  /** The count and vote shown when they asked. */
  baseCount: number;
  baseVoted: boolean;
  /** The vote moves the count (false: the reader's votes are held until trust level 1). */
  counts: boolean;
}

/** What live events and vote answers taught us, kept per idea. */
export interface VoteEntry {
  voteCount: number;
  voteVersion: number;
  /** The reader's vote, when an answer told us (live events do not say). */
  voted: boolean | null;
  pending: PendingVote | null;
}

export interface VoteView extends VoteSnapshot {
  /** The reader's vote is on its way. */
  pending: boolean;
}

/** The count to show: the newer of snapshot and entry, with the reader's pending vote on top. */
export function currentVotes(snapshot: VoteSnapshot, entry: VoteEntry | undefined): VoteView {
  const base =
    !entry || snapshot.voteVersion > entry.voteVersion
      ? snapshot
      : { voteCount: entry.voteCount, voteVersion: entry.voteVersion, voted: entry.voted ?? snapshot.voted };
  const pending = entry?.pending;
  if (!pending) return { ...base, pending: false };
  const change = pending.voted === pending.baseVoted || !pending.counts ? 0 : pending.voted ? 1 : -1;
  return {
    voteCount: Math.max(0, pending.baseCount + change),
    voteVersion: base.voteVersion,
    voted: pending.voted,
    pending: true,
  };
}

/** A live `votes` event: applied only when newer than what we have. */
export function withLiveVotes(
  entry: VoteEntry | undefined,
  event: { voteCount: number; voteVersion: number },
): VoteEntry {
  if (entry && event.voteVersion <= entry.voteVersion) return entry;
  return {
    voteCount: event.voteCount,
    voteVersion: event.voteVersion,
    voted: entry?.voted ?? null,
    pending: entry?.pending ?? null,
  };
}

/**
 * The reader clicked: `shown` is what they saw, `voted` what they asked for; `counts` is false
 * when the reader's votes are held (the count will not move).
 */
export function withPendingVote(
  entry: VoteEntry | undefined,
  shown: VoteSnapshot,
  voted: boolean,
  counts = true,
): VoteEntry {
  const known = entry && entry.voteVersion >= shown.voteVersion ? entry : { ...shown, pending: null };
  return { ...known, pending: { voted, baseCount: shown.voteCount, baseVoted: shown.voted, counts } };
}

/** The server's answer to the reader's vote. A newer live count (which includes it) wins over the answer's. */
export function withVoteAnswer(
  entry: VoteEntry | undefined,
  answer: { voted: boolean; voteCount: number; voteVersion: number },
): VoteEntry {
  const newer = !entry || answer.voteVersion >= entry.voteVersion;
  return {
    voteCount: newer ? answer.voteCount : entry.voteCount,
    voteVersion: newer ? answer.voteVersion : entry.voteVersion,
    voted: answer.voted,
    pending: null,
  };
}

/** The vote failed: back to the newest known count. */
export function withoutPendingVote(entry: VoteEntry | undefined): VoteEntry | undefined {
  return entry ? { ...entry, pending: null } : entry;
}
