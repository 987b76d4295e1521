import type { Draft } from '@fanlab/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { deleteDraft, getDraft, putDraft } from '../api/drafts';
import { useUnsavedText } from '../components/unsavedText';

/** What a composer holds: a new thread has a title, a reply or an edit only a body. */
export interface DraftText {
  title?: string;
  body: string;
}

/** Where the draft stands, for the composer's marker. */
export type DraftState = 'loading' | 'idle' | 'saving' | 'saved' | 'failed';

/** How long typing pauses before the draft is saved. */
export const DRAFT_SAVE_DELAY_MS = 1000;

const same = (a: DraftText, b: DraftText) => a.body === b.body && (a.title ?? '') === (b.title ?? '');

interface UseDraftOptions {
  /** The place (`thread:<categoryId>`, `reply:<threadId>`, `edit:<postId>`). */
  key: string;
  /** The composer's text now. */
  text: DraftText;
  /** The text with nothing to keep: empty, or an edited post's text before the edit. */
  baseline: DraftText;
  /** Puts text into the composer: a restored draft, or the baseline when it is thrown away. */
  setText: (text: DraftText) => void;
}

export interface DraftControl {
  state: DraftState;
  /** When the server last saved it (ISO), once there is a draft. */
  savedAt: string | null;
  /** The composer opened with a draft from an earlier visit (or another device). */
  restored: boolean;
  /** Throws the draft away and puts the baseline back. */
  discard: () => void;
  /**
   * The text was sent: forget the draft. Call before navigating away; the text still in the
   * composer is not saved again.
   */
  sent: () => void;
}

/**
 * Keeps a composer's text as a server-side draft (shared/drafts.ts): restores it when the
 * composer opens untouched, saves a second after typing pauses and as the page goes away, and
 * marks the text unsaved (the leave guard asks) only while the server does not have it yet.
 * Saves run one after another, so an older save never lands after a newer one or after `sent`.
 */
export function useDraft({ key, text, baseline, setText }: UseDraftOptions): DraftControl {
  const [state, setState] = useState<DraftState>('loading');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  /** What the server holds for this place (the baseline when it holds nothing). */
  const [stored, setStoredState] = useState<DraftText>(baseline);
  const storedRef = useRef(stored);
  const setStored = useCallback((value: DraftText) => {
    storedRef.current = value;
    setStoredState(value);
  }, []);
  const textRef = useRef(text);
  textRef.current = text;
  const baselineRef = useRef(baseline);
  baselineRef.current = baseline;
  const setTextRef = useRef(setText);
  setTextRef.current = setText;
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** Drafts need a member: a 401 (signed out meanwhile) turns them off for this composer. */
  const disabled = useRef(false);

  const enqueue = useCallback((step: () => Promise<void>) => {
    const next = queue.current.then(step).catch(() => undefined);
    queue.current = next;
    return next;
  }, []);

  const save = useCallback(
    (keepalive: boolean) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      if (disabled.current) return;
      const snapshot = textRef.current;
      if (same(snapshot, storedRef.current)) return;
      setState('saving');
      void enqueue(async () => {
        try {
          if (same(snapshot, baselineRef.current)) {
            await deleteDraft(key);
            setSavedAt(null);
          } else {
            const draft = await putDraft(
              key,
              { body: snapshot.body, ...(snapshot.title === undefined ? {} : { title: snapshot.title }) },
              keepalive,
            );
            setSavedAt(draft?.savedAt ?? null);
          }
          setStored(snapshot);
          setState(same(snapshot, textRef.current) ? 'saved' : 'saving');
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) disabled.current = true;
          setState('failed');
        }
      });
    },
    [enqueue, key, setStored],
  );

  // open: restore the draft when nothing has been typed yet
  useEffect(() => {
    let live = true;
    setState('loading');
    getDraft(key)
      .then((draft: Draft | null) => {
        if (!live) return;
        if (draft) {
          const kept: DraftText = { body: draft.body, ...(draft.title === null ? {} : { title: draft.title }) };
          setStored(kept);
          setSavedAt(draft.savedAt);
          if (same(textRef.current, baselineRef.current)) {
            setTextRef.current(kept);
            setRestored(true);
          }
        }
        setState('idle');
      })
      .catch(() => {
        if (!live) return;
        disabled.current = true;
        setState('idle');
      });
    return () => {
      live = false;
    };
  }, [key, setStored]);

  // typing: save once it pauses
  const loaded = state !== 'loading';
  useEffect(() => {
    if (!loaded || same(text, stored)) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => save(false), DRAFT_SAVE_DELAY_MS);
  }, [loaded, text, stored, save]);

  // leaving (another page in the app, a reload, a closed tab): save what is pending now
  useEffect(() => {
    const flush = () => {
      if (timer.current) save(true);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [save]);

  /** Deletes the server's draft; a failure shows on the marker (the next visit would restore it). */
  const forget = useCallback(() => {
    if (disabled.current) return;
    void enqueue(async () => {
      try {
        await deleteDraft(key);
      } catch {
        setState('failed');
      }
    });
  }, [enqueue, key]);

  const releaseUnsaved = useUnsavedText(loaded && !same(text, stored) && !same(text, baseline));

  const sent = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    releaseUnsaved();
    // the sent text counts as kept, so it is not saved again as the composer empties or closes
    setStored(textRef.current);
    setRestored(false);
    setSavedAt(null);
    setState('idle');
    forget();
  }, [forget, releaseUnsaved, setStored]);

  const discard = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setStored(baselineRef.current);
    setTextRef.current(baselineRef.current);
    setRestored(false);
    setSavedAt(null);
    setState('idle');
    forget();
  }, [forget, setStored]);

  return { state, savedAt, restored, discard, sent };
}
