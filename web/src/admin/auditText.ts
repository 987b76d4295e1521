import {
  type AuditEntry,
  betaApplicationStatuses,
  betaProgramStates,
  ideaStatuses,
  type LimitValue,
  roles,
  type SiteSettingKey,
  SiteSettingKeys,
} from '@fanlab/shared';
import type { TFunction } from 'i18next';

type Formatters = {
  /** A time as the reader's language writes it. */
  when: (iso: string) => string;
  /** A category's name by id, when the list has it. */
  categoryName: (id: number) => string | undefined;
};

const role = (t: TFunction, value: string) =>
  (roles as readonly string[]).includes(value) ? t(`roles.${value as (typeof roles)[number]}`) : value;
const status = (t: TFunction, value: string) =>
  (ideaStatuses as readonly string[]).includes(value)
    ? t(`ideas.status.${value as (typeof ideaStatuses)[number]}`)
    : value;

const betaStatus = (t: TFunction, value: string) =>
  (betaApplicationStatuses as readonly string[]).includes(value)
    ? t(`admin.audit.betaStatus.${value as (typeof betaApplicationStatuses)[number]}`)
    : value;
const betaState = (t: TFunction, value: string) =>
  (betaProgramStates as readonly string[]).includes(value)
    ? t(`admin.audit.betaState.${value as (typeof betaProgramStates)[number]}`)
    : value;

/** A recorded value as text: yes/no, (none), lists, the rest as written. */
function valueText(t: TFunction, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('admin.audit.detail.none');
  if (typeof value === 'boolean') return value ? t('admin.audit.detail.yes') : t('admin.audit.detail.no');
  if (Array.isArray(value))
    return value.length ? value.map((v) => valueText(t, v)).join(', ') : t('admin.audit.detail.none');
  return String(value);
}

const isSettingKey = (key: string): key is SiteSettingKey => (SiteSettingKeys as readonly string[]).includes(key);

/** A setting's value: a rate limit as "N per S s", the rest like any recorded value. */
function settingText(t: TFunction, value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'max' in value && 'windowSeconds' in value) {
    const limit = value as LimitValue;
    return t('siteSettings.limitValue', { max: limit.max, seconds: limit.windowSeconds });
  }
  return valueText(t, value);
}

const FIELDS = [
  'parentId',
  'slug',
  'name',
  'description',
  'color',
  'position',
  'locale',
  'allowDiscussions',
  'allowIdeas',
  'whoCanStart',
  'voteBudget',
  'pinned',
  'pinnedUntil',
  'locked',
  'unlisted',
  'category',
] as const;
const isField = (key: string): key is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(key);

/**
 * `{ field: [before, after] }` as one line per field. Entries written before before/after pairs
 * existed hold the new value only: shown as "field: value".
 */
function changes(t: TFunction, data: Record<string, unknown>, show: (field: string, v: unknown) => string): string[] {
  return Object.entries(data).map(([key, pair]) => {
    const field = isField(key) ? t(`admin.audit.fields.${key}`) : key;
    if (Array.isArray(pair) && pair.length === 2) {
      return t('admin.audit.detail.change', { field, before: show(key, pair[0]), after: show(key, pair[1]) });
    }
    return t('admin.audit.detail.set', { field, value: show(key, pair) });
  });
}

/** The lines under an audit entry that say what it did, in the reader's language. */
export function auditDetails(t: TFunction, entry: AuditEntry, f: Formatters): string[] {
  const category = (id: unknown) =>
    typeof id === 'number' ? (f.categoryName(id) ?? `#${id}`) : t('admin.audit.detail.none');
  switch (entry.action) {
    case 'user.role_changed':
      return [
        t('admin.audit.detail.change', {
          field: t('admin.users.role'),
          before: role(t, entry.data.from),
          after: role(t, entry.data.to),
        }),
      ];
    case 'category.created':
    case 'category.deleted':
      return [t('admin.audit.detail.slug', { slug: entry.data.slug })];
    case 'category.updated':
      return changes(t, entry.data, (key, v) =>
        key === 'parentId' ? category(v) : key === 'pinnedUntil' && typeof v === 'string' ? f.when(v) : valueText(t, v),
      );
    case 'category.reordered':
      return [
        entry.data.parent === null
          ? t('admin.audit.detail.withinTop')
          : t('admin.audit.detail.withinParent', { parent: category(entry.data.parent) }),
        t('admin.audit.detail.order', { names: entry.data.to.map(category).join(', ') }),
      ];
    case 'thread.moderated':
      return changes(t, entry.data, (key, v) =>
        key === 'category' ? category(v) : key === 'pinnedUntil' && typeof v === 'string' ? f.when(v) : valueText(t, v),
      );
    case 'idea.status_changed': {
      const from = status(t, entry.data.from);
      const to = status(t, entry.data.to);
      return [
        entry.data.response
          ? t('admin.audit.detail.statusWithResponse', { from, to })
          : t('admin.audit.detail.change', { field: t('admin.audit.fields.status'), before: from, after: to }),
      ];
    }
    case 'idea.tags_changed':
      return [
        t('admin.audit.detail.change', {
          field: t('admin.audit.fields.tags'),
          before: valueText(t, entry.data.from),
          after: valueText(t, entry.data.to),
        }),
      ];
    case 'idea.merged':
      return [t('admin.audit.detail.merged', { ...entry.data })];
    case 'idea.unmerged':
      return [t('admin.audit.detail.unmerged', { from: entry.data.from, restored: entry.data.restored })];
    case 'review.decided': {
      const decision = t(`admin.audit.decisions.${entry.data.action}`);
      const vars = { decision, flags: entry.data.flags };
      return [entry.data.deleted ? t('admin.audit.detail.reviewDeleted', vars) : t('admin.audit.detail.review', vars)];
    }
    case 'user.silenced':
    case 'user.suspended':
      return [
        t('admin.audit.detail.sanction', { days: entry.data.days, until: f.when(entry.data.until) }),
        t('admin.audit.detail.reason', { reason: entry.data.reason }),
      ];
    case 'user.unsilenced':
    case 'user.unsuspended':
      return entry.data.until ? [t('admin.audit.detail.liftedEarly', { until: f.when(entry.data.until) })] : [];
    case 'user.note_added':
    case 'user.note_deleted':
      return [t('admin.audit.detail.note', { note: entry.data.note })];
    case 'posts.moved': {
      const vars = { count: entry.data.postIds.length, from: entry.data.from, to: entry.data.to };
      return [entry.data.newThread ? t('admin.audit.detail.movedNew', vars) : t('admin.audit.detail.moved', vars)];
    }
    case 'settings.updated':
      return Object.entries(entry.data.changes).map(([key, pair]) =>
        t('admin.audit.detail.change', {
          field: isSettingKey(key) ? t(`siteSettings.keys.${key}`) : key,
          before: settingText(t, pair[0]),
          after: settingText(t, pair[1]),
        }),
      );
    case 'user.trust_level_changed':
      return [
        t('admin.audit.detail.change', {
          field: t('trust.setLevel'),
          before: String(entry.data.from),
          after: String(entry.data.to),
        }),
        entry.data.locked ? t('admin.audit.detail.trustLocked') : t('admin.audit.detail.trustUnlocked'),
      ];
    case 'beta.program_created':
      return [t('admin.audit.detail.slug', { slug: entry.data.slug })];
    case 'beta.program_updated': {
      const { seats, state } = entry.data;
      return [
        t('admin.audit.detail.betaFields', { fields: entry.data.fields.join(', ') }),
        ...(seats
          ? [
              t('admin.audit.detail.change', {
                field: t('admin.audit.fields.seats'),
                before: String(seats[0]),
                after: String(seats[1]),
              }),
            ]
          : []),
        ...(state
          ? [
              t('admin.audit.detail.change', {
                field: t('admin.audit.fields.state'),
                before: betaState(t, state[0]),
                after: betaState(t, state[1]),
              }),
            ]
          : []),
      ];
    }
    case 'beta.application_decided':
      return [
        t('admin.audit.detail.betaDecision', {
          application: entry.data.application,
          from: betaStatus(t, entry.data.from),
          to: betaStatus(t, entry.data.to),
        }),
        ...(entry.data.reason ? [t('admin.audit.detail.reason', { reason: entry.data.reason })] : []),
        ...(entry.data.promoted.length
          ? [t('admin.audit.detail.betaPromoted', { count: entry.data.promoted.length })]
          : []),
      ];
    case 'thread.deleted':
    case 'thread.restored':
    case 'post.edited':
    case 'post.deleted':
    case 'post.restored':
      return [];
    default: {
      const unknown: never = entry;
      return [JSON.stringify((unknown as { data: unknown }).data)];
    }
  }
}
