import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { useCreateProgram } from './mutations';
import { ProgramEditor } from './ProgramEditor';
import { emptyProgram } from './programForm';
import { useBetaProgramList } from './useBeta';

/** /beta/new (product managers and admins): a new program, saved as a draft. */
export function NewProgramPage() {
  const { t } = useTranslation();
  usePageTitle(t('beta.editor.newTitle'));
  const navigate = useNavigate();
  const { data: me, isPending: mePending } = useMe();
  const list = useBetaProgramList({ state: 'open' }, Boolean(me));
  const create = useCreateProgram();
  if (mePending) return <Loading />;
  if (!me) return <SignInPrompt message={t('beta.editor.signIn')} />;
  if (list.isPending) return <Loading />;
  if (list.isError) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data.pages[0]?.canCreate) {
    return (
      <section>
        <h1>{t('beta.editor.newTitle')}</h1>
        <p className="notice" data-testid="beta-forbidden">
          {t('beta.editor.forbidden')}
        </p>
      </section>
    );
  }
  return (
    <section className="beta-manage" data-testid="new-program-page">
      <p className="breadcrumb">
        <Link to="/beta">{t('beta.heading')}</Link>
      </p>
      <h1>{t('beta.editor.newTitle')}</h1>
      <p className="lead">{t('beta.editor.newLead')}</p>
      <ProgramEditor
        initial={emptyProgram()}
        editing={false}
        pending={create.isPending}
        error={create.error}
        submitLabel={t('beta.editor.create')}
        onSubmit={(body) => create.mutate(body, { onSuccess: (program) => navigate(`/beta/${program.slug}/manage`) })}
      />
    </section>
  );
}
