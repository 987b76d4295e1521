import { BODY_MAX, type Category, type ThreadKind, TITLE_MAX, TITLE_MIN } from '@fanlab/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { isQueued } from '../api/forum';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';
import { SimilarIdeas } from '../ideas/SimilarIdeas';
import { NotFoundPage } from '../shell/NotFoundPage';
import { Composer } from './Composer';
import { DraftStatus } from './DraftStatus';
import { useCreateThread } from './mutations';
import { useCategory } from './useCategories';
import { type DraftText, useDraft } from './useDraft';

const EMPTY: DraftText = { title: '', body: '' };

const kinds = (category: Category): ThreadKind[] => [
  ...(category.allowDiscussions ? (['discussion'] as const) : []),
  ...(category.allowIdeas ? (['idea'] as const) : []),
];

interface NewThreadFormProps {
  category: Category;
  subcategories: Category[];
  /** The kind asked for (`?kind=idea` from a board's "New idea"). */
  initialKind: ThreadKind | null;
  /** Told the kind the form will create, whenever it changes (the page's heading follows it). */
  onKindChange: (kind: ThreadKind) => void;
}

function NewThreadForm({ category, subcategories, initialKind, onKindChange }: NewThreadFormProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateThread();
  const targets = [category, ...subcategories].filter((candidate) => candidate.canStartThread);
  // An idea asked for in a category that takes none goes to the first sub-category that does.
  const [categoryId, setCategoryId] = useState(() =>
    initialKind && !kinds(category).includes(initialKind)
      ? (targets.find((candidate) => kinds(candidate).includes(initialKind))?.id ?? category.id)
      : category.id,
  );
  const target = targets.find((candidate) => candidate.id === categoryId) ?? category;
  const allowed = kinds(target);
  const [kind, setKind] = useState<ThreadKind>(() =>
    initialKind && allowed.includes(initialKind) ? initialKind : (allowed[0] ?? 'discussion'),
  );
  const chosenKind = allowed.includes(kind) ? kind : allowed[0];
  useEffect(() => onKindChange(chosenKind ?? 'discussion'), [chosenKind, onKindChange]);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  /** The thread waits for a moderator's approval (202): nothing was published yet. */
  const [held, setHeld] = useState(false);
  // one draft per category page the form opened from, whichever sub-category it goes to
  const draft = useDraft({
    key: `thread:${category.id}`,
    text: { title, body },
    baseline: EMPTY,
    setText: (text) => {
      setTitle(text.title ?? '');
      setBody(text.body);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const length = title.trim().length;
    const check =
      length < TITLE_MIN || length > TITLE_MAX
        ? t('errors.titleLength', { min: TITLE_MIN, max: TITLE_MAX })
        : body.trim() === ''
          ? t('errors.bodyRequired')
          : body.length > BODY_MAX
            ? t('errors.bodyTooLong', { max: BODY_MAX })
            : null;
    setProblem(check);
    if (check) {
      create.reset();
      return;
    }
    create.mutate(
      { categoryId: target.id, title: title.trim(), body, ...(chosenKind ? { kind: chosenKind } : {}) },
      {
        onSuccess: (thread) => {
          draft.sent();
          if (isQueued(thread)) setHeld(true);
          else navigate(`/t/${thread.id}`);
        },
      },
    );
  };

  if (held) {
    return (
      <section className="card notice-card" data-testid="thread-held">
        <h2>{t('composer.heldHeading')}</h2>
        <p>{t('composer.heldThread')}</p>
        <p>
          <Link to="/account#queued-posts">{t('composer.heldSee')}</Link>
        </p>
      </section>
    );
  }

  return (
    <form className="form card new-thread-form" onSubmit={onSubmit} noValidate data-testid="new-thread-form">
      <FormError message={problem ?? (create.error ? errorMessage(t, create.error) : null)} />
      {targets.length > 1 ? (
        <div className="field">
          <label htmlFor="new-thread-category">{t('composer.categoryLabel')}</label>
          <select
            id="new-thread-category"
            name="categoryId"
            data-testid="composer-category"
            value={target.id}
            onChange={(event) => setCategoryId(Number(event.target.value))}
          >
            {targets.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.id === category.id ? candidate.name : `${category.name} › ${candidate.name}`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {allowed.length > 1 ? (
        <fieldset className="field kind-choice">
          <legend>{t('composer.kindLabel')}</legend>
          {allowed.map((option) => (
            <label key={option} className="radio">
              <input
                type="radio"
                name="kind"
                value={option}
                checked={chosenKind === option}
                onChange={() => setKind(option)}
              />{' '}
              {t(`composer.kind.${option}`)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor="new-thread-title">{t('composer.titleLabel')}</label>
        <input
          id="new-thread-title"
          type="text"
          name="title"
          data-testid="composer-title"
          maxLength={TITLE_MAX}
          required
          aria-describedby="new-thread-title-hint"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <p id="new-thread-title-hint" className="field-hint">
          {t(chosenKind === 'idea' ? 'ideas.composer.titleHint' : 'composer.titleHint', {
            min: TITLE_MIN,
            max: TITLE_MAX,
          })}
        </p>
      </div>
      {chosenKind === 'idea' ? <SimilarIdeas title={title} category={target.slug} /> : null}
      <Composer value={body} onChange={setBody} label={t('composer.bodyLabel')} disabled={create.isPending} />
      <p className="actions">
        <button type="submit" className="button" data-testid="composer-submit" disabled={create.isPending}>
          {create.isPending
            ? t('composer.creating')
            : chosenKind === 'idea'
              ? t('ideas.composer.createIdea')
              : t('composer.createThread')}
        </button>
        <Link to={`/c/${category.slug}`} className="button button-secondary">
          {t('post.cancel')}
        </Link>
        <DraftStatus draft={draft} />
      </p>
    </form>
  );
}

/** `/c/:slug/new`: starts a thread in a category. */
export function NewThreadPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [params] = useSearchParams();
  const initialKind =
    params.get('kind') === 'idea' ? 'idea' : params.get('kind') === 'discussion' ? 'discussion' : null;
  const { data: me, isPending: mePending } = useMe();
  const { data, error, isPending, refetch } = useCategory(slug);
  // the heading and title say what the form will create: the kind asked for, then the one chosen
  const [shownKind, setShownKind] = useState<ThreadKind | null>(initialKind);
  usePageTitle(shownKind === 'idea' ? t('ideas.composer.newIdeaTitle') : t('composer.newThreadTitle'));

  if (isPending || mePending) return <Loading />;
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;

  const { category, children } = data;
  return (
    <div className="new-thread-page">
      <p className="breadcrumb">
        <Link to={`/c/${category.slug}`}>{category.name}</Link>
      </p>
      <h1>
        {shownKind === 'idea'
          ? t('ideas.composer.newIdeaHeading', { category: category.name })
          : t('composer.newThreadHeading', { category: category.name })}
      </h1>
      {!me ? (
        <SignInPrompt message={t('category.signInToStart')} />
      ) : category.whoCanStart === 'staff' && !category.canStartThread ? (
        <p className="notice" data-testid="staff-only-notice">
          {t('category.staffOnly')}
        </p>
      ) : (
        <NewThreadForm
          category={category}
          subcategories={children}
          initialKind={initialKind}
          onKindChange={setShownKind}
        />
      )}
    </div>
  );
}
