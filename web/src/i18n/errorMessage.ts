import { BODY_MAX, type ErrorCode, ErrorCodes, PASSWORD_MAX, PASSWORD_MIN, TITLE_MAX, TITLE_MIN } from '@fanlab/shared';
import type { TFunction } from 'i18next';
import { ApiError, ClientErrorCodes } from '../api/client';

/** Problems the forms find before asking the server; each is a key under `errors.`. */
export type ClientErrorKey =
  | 'usernameInvalid'
  | 'emailInvalid'
  | 'passwordTooShort'
  | 'passwordTooLong'
  | 'passwordSame'
  | 'loginRequired'
  | 'passwordRequired';

export function clientErrorMessage(t: TFunction, key: ClientErrorKey): string {
  return t(`errors.${key}`, { min: PASSWORD_MIN, max: PASSWORD_MAX });
}

type SimpleCode = Exclude<
  ErrorCode,
  | typeof ErrorCodes.rateLimited
  | typeof ErrorCodes.validationFailed
  | typeof ErrorCodes.newMemberLimit
  | typeof ErrorCodes.watchedWord
  | typeof ErrorCodes.betaSeatsBelowAccepted
  | typeof ErrorCodes.betaModelInUse
>;

const keysByCode: Partial<Record<SimpleCode, (t: TFunction) => string>> = {
  [ErrorCodes.badOrigin]: (t) => t('errors.badOrigin'),
  [ErrorCodes.unauthenticated]: (t) => t('errors.unauthenticated'),
  [ErrorCodes.forbidden]: (t) => t('errors.forbidden'),
  [ErrorCodes.notFound]: (t) => t('errors.notFound'),
  [ErrorCodes.usernameTaken]: (t) => t('errors.usernameTaken'),
  [ErrorCodes.linkExpired]: (t) => t('errors.linkExpired'),
  [ErrorCodes.alreadyFlagged]: (t) => t('errors.alreadyFlagged'),
  [ErrorCodes.duplicatePost]: (t) => t('errors.duplicatePost'),
  [ErrorCodes.reviewConflict]: (t) => t('errors.reviewConflict'),
  [ErrorCodes.reviewClaimed]: (t) => t('errors.reviewClaimed'),
  [ErrorCodes.postNotInThread]: (t) => t('errors.postNotInThread'),
  [ErrorCodes.sameThread]: (t) => t('errors.sameThread'),
  [ErrorCodes.emailTaken]: (t) => t('errors.emailTaken'),
  [ErrorCodes.weakPassword]: (t) => t('errors.weakPassword', { min: PASSWORD_MIN }),
  [ErrorCodes.invalidCredentials]: (t) => t('errors.invalidCredentials'),
  [ErrorCodes.wrongPassword]: (t) => t('errors.wrongPassword'),
  [ErrorCodes.silenced]: (t) => t('errors.silenced'),
  [ErrorCodes.suspended]: (t) => t('errors.suspended'),
  [ErrorCodes.ideaClosed]: (t) => t('errors.ideaClosed'),
  [ErrorCodes.voteBudgetExhausted]: (t) => t('errors.voteBudgetExhausted'),
  [ErrorCodes.notAnIdea]: (t) => t('errors.notAnIdea'),
  [ErrorCodes.useMerge]: (t) => t('errors.useMerge'),
  [ErrorCodes.alreadyMerged]: (t) => t('errors.alreadyMerged'),
  [ErrorCodes.notMerged]: (t) => t('errors.notMerged'),
  [ErrorCodes.betaNotEligible]: (t) => t('errors.betaNotEligible'),
  [ErrorCodes.betaAlreadyApplied]: (t) => t('errors.betaAlreadyApplied'),
  [ErrorCodes.betaQuizAnswers]: (t) => t('errors.betaQuizAnswers'),
  [ErrorCodes.betaConsentRequired]: (t) => t('errors.betaConsentRequired'),
  [ErrorCodes.betaNoSeats]: (t) => t('errors.betaNoSeats'),
  [ErrorCodes.betaInvalidTransition]: (t) => t('errors.betaInvalidTransition'),
  [ErrorCodes.betaInvalidProgram]: (t) => t('errors.betaInvalidProgram'),
  [ErrorCodes.internal]: (t) => t('errors.internal'),
  [ErrorCodes.unavailable]: (t) => t('errors.unavailable'),
  [ErrorCodes.invalidCursor]: (t) => t('errors.invalidCursor'),
  [ErrorCodes.slugTaken]: (t) => t('errors.slugTaken'),
  [ErrorCodes.invalidParent]: (t) => t('errors.invalidParent'),
  [ErrorCodes.categoryNotEmpty]: (t) => t('errors.categoryNotEmpty'),
  [ErrorCodes.categoryOrderStale]: (t) => t('errors.categoryOrderStale'),
  [ErrorCodes.ownRole]: (t) => t('errors.ownRole'),
  [ErrorCodes.invalidJson]: (t) => t('errors.generic'),
  [ErrorCodes.payloadTooLarge]: (t) => t('errors.payloadTooLarge'),
  [ErrorCodes.unsupportedImage]: (t) => t('errors.unsupportedImage'),
  [ErrorCodes.uploadQuota]: (t) => t('errors.uploadQuota'),
  [ErrorCodes.unsupportedMediaType]: (t) => t('errors.generic'),
};

/** Codes of the forum API that are not (yet) in the shared ErrorCodes. */
const forumCodes: Record<string, (t: TFunction) => string> = {
  thread_locked: (t) => t('errors.threadLocked'),
  has_replies: (t) => t('errors.hasReplies'),
  first_post: (t) => t('errors.firstPost'),
  own_post: (t) => t('errors.ownPost'),
  kind_not_allowed: (t) => t('errors.kindNotAllowed'),
  invalid_reply_to: (t) => t('errors.invalidReplyTo'),
};

function newMemberMessage(t: TFunction, details: unknown): string {
  const { limit, liftsAt, max } = (details ?? {}) as { limit?: unknown; liftsAt?: unknown; max?: unknown };
  const count = typeof max === 'number' ? max : 0;
  const when = typeof liftsAt === 'string' ? new Date(liftsAt).toLocaleString() : '';
  switch (limit) {
    case 'newMemberImages':
      return t('errors.newMember.images');
    case 'newMemberMaxLinks':
      return t('errors.newMember.links', { count });
    case 'newMemberThreadsFirstDay':
      return t('errors.newMember.threadsFirstDay', { count, when });
    case 'newMemberRepliesFirstDay':
      return t('errors.newMember.repliesFirstDay', { count, when });
    default:
      return t('errors.newMember.flag');
  }
}

/** Which field a validation_failed answer complains about first (`body.username` → `username`). */
function firstInvalidField(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  const field = (details[0] as { field?: unknown } | undefined)?.field;
  return typeof field === 'string' ? field.split('.').pop() : undefined;
}

function validationMessage(t: TFunction, details: unknown): string {
  switch (firstInvalidField(details)) {
    case 'username':
      return clientErrorMessage(t, 'usernameInvalid');
    case 'email':
      return clientErrorMessage(t, 'emailInvalid');
    case 'password':
    case 'newPassword':
      return clientErrorMessage(t, 'passwordTooShort');
    case 'title':
      return t('errors.titleLength', { min: TITLE_MIN, max: TITLE_MAX });
    case 'body':
      return t('errors.bodyInvalid', { max: BODY_MAX });
    default:
      return t('errors.validationFailed');
  }
}

function rateLimitedMessage(t: TFunction, details: unknown): string {
  const seconds = (details as { retryAfter?: unknown } | undefined)?.retryAfter;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return t('errors.rateLimited');
  if (seconds < 60) return t('errors.rateLimitedSeconds', { count: Math.ceil(seconds) });
  return t('errors.rateLimitedMinutes', { count: Math.ceil(seconds / 60) });
}

/** Beta seats set below the testers already accepted: `details` {accepted, seats, model?}. */
function seatsBelowAcceptedMessage(t: TFunction, details: unknown): string {
  const { accepted, model } = (details ?? {}) as { accepted?: unknown; model?: unknown };
  if (typeof accepted !== 'number') return t('errors.betaSeatsBelowAccepted');
  return typeof model === 'string'
    ? t('errors.betaSeatsBelowAcceptedModel', { count: accepted, model })
    : t('errors.betaSeatsBelowAcceptedDetail', { count: accepted });
}

/** Translated text for an error the API (or the network) gave us; unknown codes show the server's message. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  if (error.code === ClientErrorCodes.network) return t('errors.network');
  if (error.code === ClientErrorCodes.unexpected) {
    return error.status >= 500 ? t('errors.unavailable') : t('errors.generic');
  }
  if (error.code === ErrorCodes.validationFailed) return validationMessage(t, error.details);
  if (error.code === ErrorCodes.rateLimited) return rateLimitedMessage(t, error.details);
  if (error.code === ErrorCodes.newMemberLimit) return newMemberMessage(t, error.details);
  if (error.code === ErrorCodes.betaSeatsBelowAccepted) return seatsBelowAcceptedMessage(t, error.details);
  if (error.code === ErrorCodes.betaModelInUse) {
    const model = (error.details as { model?: unknown } | undefined)?.model;
    return typeof model === 'string' ? t('errors.betaModelInUseDetail', { model }) : t('errors.betaModelInUse');
  }
  if (error.code === ErrorCodes.watchedWord) {
    const word = (error.details as { word?: unknown } | undefined)?.word;
    return t('errors.watchedWord', { word: typeof word === 'string' ? word : '' });
  }
  const known = keysByCode[error.code as SimpleCode] ?? forumCodes[error.code];
  return known ? known(t) : error.message || t('errors.generic');
}
