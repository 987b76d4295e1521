import type { BetaProgram } from '@fanlab/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { NotFoundPage } from '../shell/NotFoundPage';
import { ApplicationsTable } from './ApplicationsTable';
import { ProgramStateBadge } from './Badges';
import { useUpdateProgram } from './mutations';
import { ProgramEditor } from './ProgramEditor';
import { ProgramStateActions } from './ProgramStateActions';
import { bodyFromFields, changedFields, fieldsFromProgram } from './programForm';
import { SeatsPanel } from './SeatsPanel';
import { useBetaProgram } from './useBeta';

/** The editor for an existing program: sends only the fields that changed. */
function EditProgram({ program, onSaved }: { program: BetaProgram; onSaved: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const update = useUpdateProgram(program.id);
  const initial = fieldsFromProgram(program);
  const before = bodyFromFields(initial);
  return (
    <ProgramEditor
      initial={initial}
      editing
      pending={update.isPending}
      error={update.error}
      submitLabel={t('beta.editor.save')}
      onSubmit={(body) => {
        const changes = before.ok ? changedFields(before.body, body) : body;
        if (Object.keys(changes).length === 0) {
          onSaved();
          return;
        }
        update.mutate(changes, {
          onSuccess: (saved) => {
            onSaved();
            if (saved.slug !== program.slug) navigate(`/beta/${saved.slug}/manage`, { replace: true });
          },
        });
      }}
    />
  );
}

function Manage({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  usePageTitle(t('beta.manageTools.title', { name: program.name }));
  const [editing, setEditing] = useState(false);
  return (
    <div className="beta-manage" data-testid="manage-page" data-program-id={program.id}>
      <p className="breadcrumb">
        <Link to="/beta">{t('beta.heading')}</Link> › <Link to={`/beta/${program.slug}`}>{program.name}</Link>
      </p>
      <div className="category-title-row">
        <h1 className="category-title">{t('beta.manageTools.heading', { name: program.name })}</h1>
        <ProgramStateBadge state={program.state} />
      </div>
      <div className="beta-manage-top">
        <SeatsPanel program={program} />
        <section className="card" aria-label={t('beta.manageTools.stateLabel')}>
          <p className="muted">
            {t(`beta.mode.${program.mode}`)} · {t('beta.manageTools.numbered', { count: program.testersNumbered })}
          </p>
          <ProgramStateActions program={program} />
          <p className="actions">
            <button
              type="button"
              className="button button-small button-secondary"
              data-testid="edit-program"
              aria-expanded={editing}
              onClick={() => setEditing((e) => !e)}
            >
              {editing ? t('beta.manageTools.closeEditor') : t('beta.manageTools.edit')}
            </button>
          </p>
        </section>
      </div>
      {editing ? <EditProgram key={program.updatedAt} program={program} onSaved={() => setEditing(false)} /> : null}
      <ApplicationsTable program={program} />
    </div>
  );
}

/** /beta/:slug/manage (the program's managers): state, editing, applications and decisions. */
export function ManageProgramPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const { data: me, isPending: mePending } = useMe();
  const program = useBetaProgram(slug);
  if (mePending || program.isPending) return <Loading />;
  if (!me) return <SignInPrompt message={t('beta.editor.signIn')} />;
  if (program.error instanceof ApiError && program.error.status === 404) return <NotFoundPage />;
  if (program.isError) return <LoadError error={program.error} onRetry={() => void program.refetch()} />;
  if (!program.data.canManage) {
    return (
      <section>
        <h1>{program.data.name}</h1>
        <p className="notice" data-testid="beta-forbidden">
          {t('beta.editor.forbidden')}
        </p>
      </section>
    );
  }
  return <Manage key={program.data.id} program={program.data} />;
}
