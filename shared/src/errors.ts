import { type Static, Type } from 'typebox';

/** Every non-2xx answer of the API has this shape. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable error code' }),
      message: Type.String({ description: 'Human-readable explanation' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Error codes the API uses; clients switch on these, never on messages. */
export const ErrorCodes = {
  validationFailed: 'validation_failed',
  invalidJson: 'invalid_json',
  invalidUrl: 'invalid_url',
  uriTooLong: 'uri_too_long',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  notFound: 'not_found',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  badOrigin: 'bad_origin',
  invalidToken: 'invalid_token',
  /** An API token was sent to a route outside its scopes (or one that takes no tokens). */
  tokenScope: 'token_scope',
  /** A member holds the most live API tokens allowed. */
  tooManyTokens: 'too_many_tokens',
  /** A link from a mail that expired, was used, or was replaced by a newer one. */
  linkExpired: 'link_expired',
  rateLimited: 'rate_limited',
  usernameTaken: 'username_taken',
  emailTaken: 'email_taken',
  weakPassword: 'weak_password',
  invalidCredentials: 'invalid_credentials',
  wrongPassword: 'wrong_password',
  invalidCursor: 'invalid_cursor',
  slugTaken: 'slug_taken',
  invalidParent: 'invalid_parent',
  categoryNotEmpty: 'category_not_empty',
  /** A category order that is not the full, current list of those siblings (one was added or moved meanwhile). */
  categoryOrderStale: 'category_order_stale',
  kindNotAllowed: 'kind_not_allowed',
  threadLocked: 'thread_locked',
  hasReplies: 'has_replies',
  firstPost: 'first_post',
  ownPost: 'own_post',
  invalidReplyTo: 'invalid_reply_to',
  silenced: 'silenced',
  suspended: 'suspended',
  ideaClosed: 'idea_closed',
  voteBudgetExhausted: 'vote_budget_exhausted',
  notAnIdea: 'not_an_idea',
  useMerge: 'use_merge',
  alreadyMerged: 'already_merged',
  notMerged: 'not_merged',
  unmergeTargetFirst: 'unmerge_target_first',
  imageUnavailable: 'image_unavailable',
  /** An upload that is not an image Fanlab takes (png, jpeg, webp, gif), or that cannot be decoded. */
  unsupportedImage: 'unsupported_image',
  /** You reached your uploads for the day (`details {limit, retryAfter}`: per trust level). */
  uploadQuota: 'upload_quota',
  ownRole: 'own_role',
  /** You flagged this post already (one flag per member per post). */
  alreadyFlagged: 'already_flagged',
  /** The same text from the same author a moment ago. */
  duplicatePost: 'duplicate_post',
  /** The review item was decided or changed since you loaded it (its version moved on). */
  reviewConflict: 'review_conflict',
  /** Another moderator has claimed the review item. */
  reviewClaimed: 'review_claimed',
  /** A limit on new members (trust level 0): `details.limit` names the setting, `details.liftsAt` when it lifts. */
  newMemberLimit: 'new_member_limit',
  /** The text holds a word the site does not take (`details.word`). */
  watchedWord: 'watched_word',
  /** Posts to move that are not (or no longer) in the thread they are moved from. */
  postNotInThread: 'post_not_in_thread',
  /** Posts moved to the thread they are in. */
  sameThread: 'same_thread',
  /** A release of that version exists on that channel already. */
  versionTaken: 'version_taken',
  /** A release may not link this idea (declined or merged): `details.ideaId`, `details.status`. */
  ideaNotReleasable: 'idea_not_releasable',
  /** The release is published: it cannot be deleted, published again, renamed or lose ideas. */
  releasePublished: 'release_published',
  /** Beta programs (issue 10): the rules an application failed are in `details.failed` (BetaRuleFailure[]). */
  betaNotEligible: 'beta_not_eligible',
  /** One application per member per program (a withdrawn one counts too). */
  betaAlreadyApplied: 'beta_already_applied',
  /** Quiz answers missing, extra, or naming a choice the question does not have. */
  betaQuizAnswers: 'beta_quiz_answers',
  /** The applicant did not consent to the program's terms. */
  betaConsentRequired: 'beta_consent_required',
  /** Seats (or a model's quota) below the testers already accepted: `details` {accepted, seats, model?}. */
  betaSeatsBelowAccepted: 'beta_seats_below_accepted',
  /** A device model with applications cannot be removed from the program (`details.model`). */
  betaModelInUse: 'beta_model_in_use',
  /** No seat left for this applicant (the total or their model's quota): waitlist them instead. */
  betaNoSeats: 'beta_no_seats',
  /** A program state or application decision the life cycle does not allow from where it is. */
  betaInvalidTransition: 'beta_invalid_transition',
  /** A program that contradicts itself (details.field): quiz, times, duplicate models or regions. */
  betaInvalidProgram: 'beta_invalid_program',
  internal: 'internal_error',
  unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * What a policy predicate decides: allowed, or refused for a reason (an error code, or an area's
 * own reason codes such as the idea page's `cannotVoteReason`). Rules throw from the reason;
 * presenters turn `ok` into the `can*` flags.
 */
export type Decision<Reason extends string = ErrorCode> = { ok: true } | { ok: false; reason: Reason };
export const allow = { ok: true } as const satisfies Decision<never>;
export const deny = <Reason extends string>(reason: Reason): Decision<Reason> => ({ ok: false, reason });
