import { type MoveDestination, type Post, TITLE_MAX, TITLE_MIN } from '@fanlab/shared';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { getThread } from '../api/forum';
import { FormError } from '../components/FormError';
import { TextField } from '../components/TextField';
import { useMovePosts } from '../forum/mutations';
import { forumKeys } from '../forum/queryKeys';
import type { ThreadMeta } from '../forum/threadCache';
import { useCategories } from '../forum/useCategories';
import { errorMessage } from '../i18n/errorMessage';
import { useSearch } from '../search/useSearch';
import { threadReference } from './threadReference';

interface MovePostsBarProps {
  thread: ThreadMeta;
  /** The posts ticked so far, in post-number order. */
  selected: Post[];
  /** Leave selecting (after a move, or on cancel). */
  onDone: () => void;
}

/**
 * Staff selecting posts to move: a bar at the foot of the page with the count, and the dialog that
 * sends them to an existing thread (its address, number, or a search of titles) or a new one.
 */
export function MovePostsBar({ thread, selected, onDone }: MovePostsBarProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <section className="move-posts-bar" aria-label={t('movePosts.barLabel')} data-testid="move-posts-bar">
        <span data-testid="selected-count">{t('movePosts.selected', { count: selected.length })}</span>
        <button
          type="button"
          className="button button-small"
          data-testid="open-move-posts"
          disabled={selected.length === 0}
          onClick={() => setOpen(true)}
        >
          {t('movePosts.move', { count: selected.length })}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onDone}>
          {t('post.cancel')}
        </button>
      </section>
      {open ? (
        <MovePostsDialog
          thread={thread}
          selected={selected}
          onClose={() => setOpen(false)}
          onMoved={() => {
            setOpen(false);
            onDone();
          }}
        />
      ) : null}
    </>
  );
}

type Mode = 'existing' | 'new';

function MovePostsDialog({
  thread,
  selected,
  onClose,
  onMoved,
}: {
  thread: ThreadMeta;
  selected: Post[];
  onClose: () => void;
  onMoved: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const titleId = useId();
  const [mode, setMode] = useState<Mode>('existing');
  const [problem, setProblem] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [categoryId, setCategoryId] = useState<number>(thread.category.id);
  const move = useMovePosts(thread.id);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialog.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const { data: categories } = useCategories();
  const targets = (categories ?? []).filter((c) => c.allowDiscussions);
  const firstMovesAll = selected.some((post) => post.postNumber === 1);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let destination: MoveDestination;
    if (mode === 'existing') {
      if (chosen === null) return setProblem(t('movePosts.chooseThread'));
      if (chosen === thread.id) return setProblem(t('errors.sameThread'));
      destination = { threadId: chosen };
    } else {
      const length = title.trim().length;
      if (length < TITLE_MIN || length > TITLE_MAX) {
        return setProblem(t('errors.titleLength', { min: TITLE_MIN, max: TITLE_MAX }));
      }
      destination = { title: title.trim(), categoryId };
    }
    setProblem(null);
    move.mutate(
      { postIds: selected.map((post) => post.id), destination },
      {
        onSuccess: ({ threadId }) => {
          onMoved();
          navigate(`/t/${threadId}`);
        },
      },
    );
  };

  return (
    <div className="dialog-backdrop">
      <div ref={dialog} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <form className="form" onSubmit={onSubmit} noValidate data-testid="move-posts-dialog">
          <h2 id={titleId}>{t('movePosts.title', { count: selected.length })}</h2>
          {firstMovesAll ? <p className="notice">{t('movePosts.firstPostNotice')}</p> : null}
          <fieldset className="move-posts-mode">
            <legend className="visually-hidden">{t('movePosts.whereTo')}</legend>
            {(['existing', 'new'] as const).map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name="move-mode"
                  value={value}
                  data-testid={`move-mode-${value}`}
                  checked={mode === value}
                  onChange={() => setMode(value)}
                />{' '}
                {value === 'existing' ? t('movePosts.toExisting') : t('movePosts.toNew')}
              </label>
            ))}
          </fieldset>
          {mode === 'existing' ? (
            <ThreadPicker
              currentId={thread.id}
              text={reference}
              onText={(text) => {
                setReference(text);
                setChosen(threadReference(text));
              }}
              chosen={chosen}
              onChoose={setChosen}
            />
          ) : (
            <>
              <TextField
                label={t('composer.titleLabel')}
                name="title"
                type="text"
                data-testid="move-new-title"
                maxLength={TITLE_MAX}
                value={title}
                onChange={(event) => setTitle(event.target.value)}
              />
              <div className="field">
                <label htmlFor={`${titleId}-category`}>{t('movePosts.category')}</label>
                <select
                  id={`${titleId}-category`}
                  data-testid="move-new-category"
                  value={categoryId}
                  onChange={(event) => setCategoryId(Number(event.target.value))}
                >
                  {targets.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            </>
          )}
          <FormError
            message={
              problem ??
              (move.error instanceof ApiError && move.error.code === 'first_post'
                ? t('movePosts.firstPostAlone')
                : move.error
                  ? errorMessage(t, move.error)
                  : null)
            }
          />
          <p className="actions">
            <button type="submit" className="button" data-testid="confirm-move-posts" disabled={move.isPending}>
              {move.isPending ? t('movePosts.moving') : t('movePosts.move', { count: selected.length })}
            </button>
            <button type="button" className="button button-secondary" onClick={onClose}>
              {t('post.cancel')}
            </button>
          </p>
        </form>
      </div>
    </div>
  );
}

/**
 * The destination thread: a pasted address or number is looked up and named; other text
 * searches titles and posts, and the threads found are offered to choose from.
 */
function ThreadPicker({
  currentId,
  text,
  onText,
  chosen,
  onChoose,
}: {
  currentId: number;
  text: string;
  onText: (text: string) => void;
  chosen: number | null;
  onChoose: (id: number) => void;
}) {
  const { t } = useTranslation();
  const referenced = threadReference(text);
  const named = useQuery({
    queryKey: [...forumKeys.thread(referenced ?? 0), 'name'],
    queryFn: () => getThread(referenced ?? 0, 0, 1),
    enabled: referenced !== null,
    retry: false,
    staleTime: 30_000,
  });
  const found = useSearch({ q: referenced === null ? text : '' });
  const threads = useMemo(() => {
    const seen = new Map<number, string>();
    for (const result of found.data?.results ?? []) {
      if (result.threadId !== currentId && !seen.has(result.threadId)) seen.set(result.threadId, result.threadTitle);
    }
    return [...seen].slice(0, 8);
  }, [found.data, currentId]);

  return (
    <div className="move-posts-picker">
      <TextField
        label={t('movePosts.threadLabel')}
        hint={t('movePosts.threadHint')}
        name="thread"
        type="text"
        data-testid="move-target"
        autoComplete="off"
        value={text}
        onChange={(event) => onText(event.target.value)}
      />
      {referenced !== null ? (
        <p className="notice" data-testid="move-target-name" role="status">
          {named.isPending
            ? t('app.loading')
            : named.data
              ? t('movePosts.target', { title: named.data.title })
              : t('movePosts.noSuchThread')}
        </p>
      ) : threads.length ? (
        <fieldset className="move-posts-results">
          <legend>{t('movePosts.found')}</legend>
          {threads.map(([id, title]) => (
            <label key={id}>
              <input
                type="radio"
                name="move-target"
                data-testid="move-target-option"
                checked={chosen === id}
                onChange={() => onChoose(id)}
              />{' '}
              {title}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
