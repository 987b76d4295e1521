import type { Release, ReleaseChannel } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMe } from '../account/useMe';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';
import { IdeaPicker, type PickedIdea } from './IdeaPicker';
import { useRelease, useReleaseMutations } from './useReleases';

/** The next Friday (or today, on a Friday), YYYY-MM-DD: the weekly beta's day. */
function nextFriday(now = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + ((5 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
}

function Editor({ release }: { release?: Release }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { create, update } = useReleaseMutations();
  const [version, setVersion] = useState(release?.version ?? '');
  const [channel, setChannel] = useState<ReleaseChannel>(release?.channel ?? 'beta');
  const [date, setDate] = useState(release?.date ?? nextFriday());
  const [notes, setNotes] = useState(release?.notesRaw ?? '');
  const [ideas, setIdeas] = useState<PickedIdea[]>(release?.ideas ?? []);
  const published = release?.state === 'published';
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ideaIds = ideas.map((i) => i.id);
    const done = (saved: Release) => navigate(`/releases/${saved.id}`);
    if (release) {
      const body = published ? { date, notes, ideaIds } : { version, channel, date, notes, ideaIds };
      update.mutate({ id: release.id, body }, { onSuccess: done });
    } else create.mutate({ version, channel, date, notes, ideaIds }, { onSuccess: done });
  };
  return (
    <form className="form release-editor" onSubmit={onSubmit} data-testid="release-editor">
      <div className="field">
        <label htmlFor="release-version">{t('releases.editor.version')}</label>
        <input
          id="release-version"
          data-testid="release-version"
          required
          value={version}
          disabled={published}
          pattern="\d{1,4}(\.\d{1,4}){1,3}(-[0-9A-Za-z][0-9A-Za-z.]{0,19})?"
          placeholder="4.3.7"
          onChange={(e) => setVersion(e.target.value)}
        />
        <p className="field-hint">{t('releases.editor.versionHint')}</p>
      </div>
      <div className="field">
        <label htmlFor="release-channel">{t('releases.editor.channel')}</label>
        <select
          id="release-channel"
          data-testid="release-channel"
          value={channel}
          disabled={published}
          onChange={(e) => setChannel(e.target.value === 'stable' ? 'stable' : 'beta')}
        >
          <option value="beta">{t('releases.channel.beta')}</option>
          <option value="stable">{t('releases.channel.stable')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="release-date">{t('releases.editor.date')}</label>
        <input
          id="release-date"
          type="date"
          data-testid="release-date"
          required
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <p className="field-hint">{t('releases.editor.dateHint')}</p>
      </div>
      <div className="field">
        <label htmlFor="release-notes">{t('releases.editor.notes')}</label>
        <textarea
          id="release-notes"
          data-testid="release-notes"
          rows={8}
          maxLength={20_000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
      </div>
      <IdeaPicker picked={ideas} onChange={setIdeas} />
      {published ? <p className="field-hint">{t('releases.editor.publishedHint')}</p> : null}
      <FormError message={failure ? errorMessage(t, failure) : null} />
      <p className="actions">
        <button type="submit" className="button" data-testid="save-release" disabled={saving}>
          {saving ? t('releases.editor.saving') : t('releases.editor.save')}
        </button>
        <Link to={release ? `/releases/${release.id}` : '/releases'} className="button button-secondary">
          {t('releases.cancel')}
        </Link>
      </p>
    </form>
  );
}

/** `/releases/new` and `/releases/:id/edit`, for product managers and admins. */
export function ReleaseEditorPage() {
  const { t } = useTranslation();
  const params = useParams();
  const id = params.id === undefined ? undefined : Number(params.id);
  const { data: me, isPending } = useMe();
  const release = useRelease(id ?? Number.NaN);
  usePageTitle(id === undefined ? t('releases.new') : t('releases.edit'));
  if (isPending) return <Loading />;
  if (!me?.canPublishReleases) {
    return (
      <section>
        <h1>{t('releases.new')}</h1>
        <p className="notice">{t('releases.forbidden')}</p>
      </section>
    );
  }
  if (id !== undefined && release.isPending) return <Loading />;
  if (id !== undefined && release.isError) return <LoadError error={release.error} />;
  return (
    <section className="release-editor-page">
      <h1>{id === undefined ? t('releases.new') : t('releases.editTitle', { version: release.data?.version })}</h1>
      <Editor key={release.data?.id ?? 'new'} release={id === undefined ? undefined : release.data} />
    </section>
  );
}
