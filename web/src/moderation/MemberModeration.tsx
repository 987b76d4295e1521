import { type SanctionKind, STAFF_NOTE_MAX } from '@fanlab/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addStaffNote, deleteStaffNote, getMemberStanding, liftSanction, sanctionMember } from '../api/moderation';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../i18n/errorMessage';
import { TrustLevelControl } from '../trust/TrustLevelControl';
import { SanctionFields } from './SanctionFields';

/**
 * On a member's profile and the admin user panel, for staff: their sanctions and why, flag record,
 * notes; silence or suspend. `onChange` runs after each change (the admin list shows sanctions too).
 */
export function MemberModeration({ userId, onChange }: { userId: number; onChange?: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['moderation', 'member', userId];
  const standing = useQuery({ queryKey: key, queryFn: () => getMemberStanding(userId) });
  const done = () => {
    onChange?.();
    return queryClient.invalidateQueries({ queryKey: key });
  };
  const sanction = useMutation({
    mutationFn: (body: { kind: SanctionKind; days: number; reason: string }) => sanctionMember(userId, body),
    onSuccess: done,
  });
  const lift = useMutation({ mutationFn: (kind: SanctionKind) => liftSanction(userId, kind), onSuccess: done });
  const addNote = useMutation({ mutationFn: (body: string) => addStaffNote(userId, body), onSuccess: done });
  const removeNote = useMutation({ mutationFn: (id: number) => deleteStaffNote(id), onSuccess: done });
  const [kind, setKind] = useState<SanctionKind>('silence');
  const [days, setDays] = useState(3);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');

  if (!standing.data) return <FormError message={standing.error ? errorMessage(t, standing.error) : null} />;
  const s = standing.data;
  const when = (value: string) =>
    new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(value));
  const error = [sanction.error, lift.error, addNote.error, removeNote.error].find(Boolean);
  const onSanction = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) sanction.mutate({ kind, days, reason: reason.trim() }, { onSuccess: () => setReason('') });
  };
  const onNote = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim()) addNote.mutate(note.trim(), { onSuccess: () => setNote('') });
  };
  return (
    <section className="member-moderation card" data-testid="member-moderation">
      <h2>{t('memberModeration.heading')}</h2>
      <ul className="member-standing">
        {s.silencedUntil ? (
          <li data-testid="standing-silenced">
            {t('memberModeration.silencedUntil', { until: when(s.silencedUntil), reason: s.silenceReason ?? '' })}{' '}
            {s.canSanction ? (
              <button type="button" className="link-button" onClick={() => lift.mutate('silence')}>
                {t('memberModeration.lift')}
              </button>
            ) : null}
          </li>
        ) : null}
        {s.suspendedUntil ? (
          <li data-testid="standing-suspended">
            {t('memberModeration.suspendedUntil', { until: when(s.suspendedUntil), reason: s.suspendReason ?? '' })}{' '}
            {s.canSanction ? (
              <button type="button" className="link-button" onClick={() => lift.mutate('suspend')}>
                {t('memberModeration.lift')}
              </button>
            ) : null}
          </li>
        ) : null}
        <li>{t('memberModeration.flags', { agreed: s.flagsAgreed, disagreed: s.flagsDisagreed })}</li>
        <li>{t('memberModeration.postsHidden', { count: s.postsHidden })}</li>
        <TrustLevelControl
          key={`${s.trustLevel}-${s.trustLevelLocked}`}
          userId={userId}
          level={s.trustLevel}
          locked={s.trustLevelLocked}
          canSet={s.canSetTrustLevel}
          onChanged={done}
        />
      </ul>
      <FormError message={error ? errorMessage(t, error) : null} />
      {s.canSanction ? (
        <form className="sanction-form" data-testid="sanction-form" onSubmit={onSanction}>
          <select
            aria-label={t('memberModeration.kind')}
            value={kind}
            onChange={(e) => setKind(e.target.value as SanctionKind)}
          >
            <option value="silence">{t('memberModeration.silence')}</option>
            <option value="suspend">{t('memberModeration.suspend')}</option>
          </select>
          <SanctionFields days={days} reason={reason} onDays={setDays} onReason={setReason} />
          <button
            type="submit"
            className="button button-small button-danger"
            disabled={sanction.isPending || !reason.trim()}
          >
            {kind === 'silence' ? t('memberModeration.silence') : t('memberModeration.suspend')}
          </button>
        </form>
      ) : null}
      <h3>{t('memberModeration.notes')}</h3>
      {s.notes.length === 0 ? <p className="notice">{t('memberModeration.noNotes')}</p> : null}
      <ul className="staff-notes">
        {s.notes.map((n) => (
          <li key={n.id} data-testid="staff-note">
            <p>{n.body}</p>
            <p className="muted">
              {n.author.username} · <RelativeTime date={n.createdAt} />{' '}
              <button type="button" className="link-button" onClick={() => removeNote.mutate(n.id)}>
                {t('memberModeration.deleteNote')}
              </button>
            </p>
          </li>
        ))}
      </ul>
      <form className="note-form" onSubmit={onNote}>
        <label htmlFor={`note-${userId}`}>{t('memberModeration.addNote')}</label>
        <textarea
          id={`note-${userId}`}
          name="note"
          rows={2}
          maxLength={STAFF_NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          type="submit"
          className="button button-small button-secondary"
          disabled={addNote.isPending || !note.trim()}
        >
          {t('memberModeration.saveNote')}
        </button>
      </form>
    </section>
  );
}
