import { type FlagReason, flagReasons, type IdeaStatus, ideaStatuses, type Notification } from '@fanlab/shared';
import type { TFunction } from 'i18next';

/** A kind-specific detail (`status` {status, from}, `merged` {intoId, intoTitle}). */
function detail(notification: Notification, field: string): unknown {
  const data: Record<string, unknown> | undefined = notification.data;
  return data?.[field];
}

function statusOf(notification: Notification): IdeaStatus | undefined {
  const value = detail(notification, 'status');
  return (ideaStatuses as readonly unknown[]).includes(value) ? (value as IdeaStatus) : undefined;
}

function mergedIntoTitle(notification: Notification): string | undefined {
  const value = detail(notification, 'intoTitle');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A flag reason in words (lower case in a sentence), or "a problem" for an unknown one. */
function flagReasonText(t: TFunction, reason: unknown): string {
  return (flagReasons as readonly unknown[]).includes(reason)
    ? t(`flag.reason.${reason as FlagReason}`).toLowerCase()
    : t('flag.reason.other').toLowerCase();
}

/** A `released` notification's release and the reader's ideas in it. */
function releasedOf(notification: Notification) {
  const releaseId = detail(notification, 'releaseId');
  const version = detail(notification, 'version');
  const channel = detail(notification, 'channel');
  const count = detail(notification, 'ideaCount');
  if (typeof releaseId !== 'number' || typeof version !== 'string' || (channel !== 'beta' && channel !== 'stable'))
    return undefined;
  return { releaseId, version, channel, count: typeof count === 'number' ? count : 1 };
}

/** Where a notification takes the reader: the post it is about, or its thread. */
export function notificationHref(notification: Notification): string {
  if (notification.kind === 'trust_level') return '/account';
  if (notification.kind === 'digest') return '/dashboard?sort=window&window=7d';
  if (notification.kind === 'released') {
    const released = releasedOf(notification);
    if (released && (released.count > 1 || notification.threadId === null)) return `/releases/${released.releaseId}`;
  }
  if (notification.kind.startsWith('beta_')) {
    const slug = detail(notification, 'programSlug');
    return typeof slug === 'string' ? `/beta/${encodeURIComponent(slug)}` : '/notifications';
  }
  if (notification.threadId === null) return '/notifications';
  const moderated = detail(notification, 'postNumber');
  if (notification.postNumber === null && typeof moderated === 'number')
    return `/t/${notification.threadId}/${moderated}`;
  return notification.postNumber === null
    ? `/t/${notification.threadId}`
    : `/t/${notification.threadId}/${notification.postNumber}`;
}

/** "ana replied to “Title”", "3 people liked your post in “Title”"… */
export function notificationText(t: TFunction, notification: Notification): string {
  const title = notification.threadTitle ?? t('notifications.aThread');
  const actor = notification.actor?.username ?? t('notifications.someone');
  const count = notification.actorCount;
  const many = count > 1;
  switch (notification.kind) {
    case 'reply':
      return many ? t('notifications.replyMany', { count, title }) : t('notifications.reply', { actor, title });
    case 'mention':
      return many ? t('notifications.mentionMany', { count, title }) : t('notifications.mention', { actor, title });
    case 'quote':
      return many ? t('notifications.quoteMany', { count, title }) : t('notifications.quote', { actor, title });
    case 'like':
      return many ? t('notifications.likeMany', { count, title }) : t('notifications.like', { actor, title });
    case 'posted':
      return many ? t('notifications.postedMany', { count, title }) : t('notifications.posted', { actor, title });
    case 'new_thread':
      return t('notifications.newThread', { actor, title });
    case 'status': {
      const status = statusOf(notification);
      return status
        ? t('notifications.status', { title, status: t(`ideas.status.${status}`) })
        : t('notifications.statusChanged', { title });
    }
    case 'merged': {
      const into = mergedIntoTitle(notification);
      return into ? t('notifications.merged', { title, into }) : t('notifications.mergedElsewhere', { title });
    }
    case 'post_moderated': {
      const reason = flagReasonText(t, detail(notification, 'reason'));
      const outcome = detail(notification, 'outcome');
      if (outcome === 'hidden') return t('notifications.postHidden', { title, reason });
      if (outcome === 'deleted') return t('notifications.postDeleted', { title, reason });
      if (outcome === 'agreed') return t('notifications.postAgreed', { title, reason });
      if (outcome === 'approved' || outcome === 'rejected') {
        const heldTitle =
          typeof detail(notification, 'title') === 'string' ? String(detail(notification, 'title')) : title;
        const thread = detail(notification, 'held') === 'thread';
        if (outcome === 'approved') {
          return thread
            ? t('notifications.threadApproved', { title: heldTitle })
            : t('notifications.postApproved', { title });
        }
        return thread
          ? t('notifications.threadRejected', { title: heldTitle })
          : t('notifications.postRejected', { title });
      }
      return t('notifications.postRestored', { title });
    }
    case 'flag_outcome': {
      const outcome = detail(notification, 'outcome');
      if (outcome === 'agreed') return t('notifications.flagAgreed', { title });
      if (outcome === 'disagreed') return t('notifications.flagDisagreed', { title });
      return t('notifications.flagIgnored', { title });
    }
    case 'released': {
      const released = releasedOf(notification);
      if (!released) return t('notifications.other', { title });
      const { version, count } = released;
      if (released.channel === 'stable') {
        return count > 1
          ? t('notifications.releasedStableMany', { count, version })
          : t('notifications.releasedStable', { title, version });
      }
      return count > 1
        ? t('notifications.releasedBetaMany', { count, version })
        : t('notifications.releasedBeta', { title, version });
    }
    case 'trust_level': {
      const level = detail(notification, 'level');
      if (level !== 1 && level !== 2 && level !== 3) return t('notifications.other', { title });
      return t('notifications.trustLevel', { level, name: t(`trust.levels.${level}`) });
    }
    case 'beta_accepted':
    case 'beta_waitlisted_promoted':
      return t(notification.kind === 'beta_accepted' ? 'notifications.betaAccepted' : 'notifications.betaPromoted', {
        program: String(detail(notification, 'programName') ?? ''),
        number: String(detail(notification, 'testerNumber') ?? ''),
      });
    case 'beta_decided': {
      const status = detail(notification, 'status');
      const program = String(detail(notification, 'programName') ?? '');
      const text =
        status === 'waitlisted'
          ? t('notifications.betaWaitlisted', { program })
          : status === 'removed'
            ? t('notifications.betaRemoved', { program })
            : t('notifications.betaRejected', { program });
      const reason = detail(notification, 'reason');
      return typeof reason === 'string' && reason !== '' ? t('notifications.betaReason', { text, reason }) : text;
    }
    case 'digest': {
      const ideas = detail(notification, 'ideas');
      const count = Array.isArray(ideas) ? ideas.length : 0;
      return count > 0 ? t('notifications.digest', { title, count: count - 1 }) : t('notifications.digestEmpty');
    }
    default:
      return t('notifications.other', { title });
  }
}
