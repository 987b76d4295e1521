import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A post's own address: opens the thread at that post (router: `t/:id/:postNumber`). */
export const postUrl = (threadId: number, postNumber: number) =>
  `${window.location.origin}/t/${threadId}/${postNumber}`;

/**
 * Shares a link to one post: the phone's share sheet where there is one, else the link copied
 * ("Link copied"), else the link shown selected to copy by hand (a browser that refuses the
 * clipboard).
 */
export function SharePostButton({ threadId, postNumber }: { threadId: number; postNumber: number }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'shown'>('idle');
  const field = useRef<HTMLInputElement>(null);
  const url = postUrl(threadId, postNumber);

  useEffect(() => {
    if (state === 'shown') field.current?.select();
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 3000);
    return () => clearTimeout(timer);
  }, [state]);

  const share = async () => {
    const touch = window.matchMedia('(pointer: coarse)').matches;
    if (touch && typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: document.title, url });
        return;
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') return; // closed by the reader
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('shown');
    }
  };

  return (
    <span className="share-post">
      <button
        type="button"
        className="post-action"
        data-testid="share-button"
        aria-expanded={state === 'shown'}
        onClick={() => void share()}
      >
        {t('post.share')}
      </button>
      <span role="status" className="share-status" data-testid="share-status">
        {state === 'copied' ? t('post.linkCopied') : null}
      </span>
      {state === 'shown' ? (
        <input
          ref={field}
          className="share-link"
          data-testid="share-link"
          readOnly
          value={url}
          aria-label={t('post.shareLinkLabel', { number: postNumber })}
          onBlur={() => setState('idle')}
        />
      ) : null}
    </span>
  );
}
