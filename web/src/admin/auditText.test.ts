import { type AuditAction, AuditActions, type AuditData, type AuditEntry, AuditTargets } from '@fanlab/shared';
import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import { auditDetails } from './auditText';

/** One recorded entry of every action, with data of the shape writeAudit gives it. */
const samples: { [A in AuditAction]: AuditData[A] } = {
  'user.role_changed': { from: 'member', to: 'moderator' },
  'category.created': { slug: 'phones' },
  'category.updated': { name: ['Phones', 'Phones & tablets'], parentId: [null, 7], locale: [null, 'es'] },
  'category.deleted': { slug: 'old' },
  'category.reordered': { parent: 7, from: [8, 9], to: [9, 8] },
  'thread.deleted': {},
  'thread.restored': {},
  'thread.moderated': { locked: [false, true], category: [7, 8] },
  'post.edited': {},
  'post.deleted': {},
  'post.restored': {},
  'idea.status_changed': { from: 'open', to: 'planned', response: true },
  'idea.tags_changed': { from: [], to: ['battery'] },
  'idea.merged': { into: 12, moved: 30, alreadyVoted: 4 },
  'idea.unmerged': { from: 12, restored: 30, removedFromTarget: 26, keptForLaterMerges: 0 },
  'review.decided': { reviewable: 3, action: 'agree', flags: 3, deleted: true },
  'user.silenced': { until: '2026-05-03T10:00:00.000Z', days: 2, reason: 'Heated', reviewable: null },
  'user.suspended': { until: '2026-05-08T10:00:00.000Z', days: 7, reason: 'Spam', reviewable: 3 },
  'user.unsilenced': { until: '2026-05-03T10:00:00.000Z' },
  'user.unsuspended': { until: null },
  'user.note_added': { note: 5 },
  'user.note_deleted': { note: 5 },
  'posts.moved': { from: 7, to: 9, postIds: [31, 32], newThread: true, wholeThread: false },
  'settings.updated': {
    changes: {
      flagHideScore: [3, 4.5],
      postLimit: [
        { max: 30, windowSeconds: 300 },
        { max: 10, windowSeconds: 60 },
      ],
    },
  },
  'user.trust_level_changed': { from: 0, to: 2, locked: true },
  'beta.program_created': { slug: 'os-4-3-beta' },
  'beta.program_updated': { fields: ['seats', 'state'], seats: [100, 120], state: ['draft', 'open'] },
  'beta.application_decided': {
    application: 41,
    user: 9,
    action: 'remove',
    from: 'accepted',
    to: 'removed',
    reason: 'Never reported',
    promoted: [52],
  },
};

const entry = (action: AuditAction) =>
  ({
    id: 1,
    actorId: 2,
    actorUsername: 'ada',
    action,
    targetType: AuditTargets[action],
    targetId: 7,
    targetLabel: 'Phones',
    targetPath: '/c/phones',
    data: samples[action],
    createdAt: '2026-05-01T10:00:00.000Z',
  }) as AuditEntry;

const names = new Map([
  [7, 'Phones'],
  [8, 'Nova'],
  [9, 'Pro'],
]);

async function translator(language: 'en' | 'es'): Promise<TFunction> {
  const i18n = createInstance();
  await i18n.init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

describe('audit log text', () => {
  for (const language of ['en', 'es'] as const) {
    it(`says what every action did in ${language}, with no key or placeholder left over`, async () => {
      const t = await translator(language);
      const catalog = language === 'en' ? en : es;
      for (const action of AuditActions) {
        expect(catalog.admin.audit.actions[action], action).toBeTruthy();
        const lines = auditDetails(t, entry(action), {
          when: (iso) => iso.slice(0, 10),
          categoryName: (id) => names.get(id),
        });
        for (const line of lines) {
          expect(line, action).not.toMatch(/admin\.|\{\{|undefined|\[object/);
        }
      }
    });
  }

  it('reads before/after pairs and names categories', async () => {
    const t = await translator('en');
    const f = { when: (iso: string) => iso.slice(0, 10), categoryName: (id: number) => names.get(id) };
    expect(auditDetails(t, entry('category.updated'), f)).toEqual([
      'Name: Phones → Phones & tablets',
      'Parent: (none) → Phones',
      'Language: (none) → es',
    ]);
    expect(auditDetails(t, entry('category.reordered'), f)).toEqual([
      'Sub-categories of Phones',
      'New order: Pro, Nova',
    ]);
    expect(auditDetails(t, entry('thread.moderated'), f)).toEqual(['Locked: no → yes', 'Category: Phones → Nova']);
    expect(auditDetails(t, entry('user.role_changed'), f)).toEqual(['Role: Member → Moderator']);
    expect(auditDetails(t, entry('user.silenced'), f)).toEqual(['For 2 days, until 2026-05-03', 'Reason: Heated']);
    // entries written before the before/after pairs hold the new value only
    const old = { ...entry('category.updated'), data: { name: 'Phones & tablets' } } as AuditEntry;
    expect(auditDetails(t, old, f)).toEqual(['Name: Phones & tablets']);
    expect(auditDetails(t, entry('beta.application_decided'), f)).toEqual([
      'Application #41: accepted → removed',
      'Reason: Never reported',
      'The freed seat went to 1 waitlisted applicant',
    ]);
    expect(auditDetails(t, entry('beta.program_updated'), f)).toEqual([
      'Changed: seats, state',
      'Seats: 100 → 120',
      'State: draft → open',
    ]);
  });

  it('speaks Spanish', async () => {
    const t = await translator('es');
    const f = { when: (iso: string) => iso.slice(0, 10), categoryName: (id: number) => names.get(id) };
    expect(auditDetails(t, entry('user.role_changed'), f)).toEqual(['Rol: Miembro → Moderador']);
    expect(auditDetails(t, entry('review.decided'), f)).toEqual([
      'De acuerdo sobre 3 denuncias; se eliminó el mensaje',
    ]);
  });
});
