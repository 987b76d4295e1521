import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Threads shorter than this fit in a few screens: no indicator. */
const LONG_THREAD = 10;

/** The number of the post at the top of the screen (under the sticky header). */
function postAtTop(): number | null {
  const posts = document.querySelectorAll<HTMLElement>('[data-testid=post][data-post-number]');
  let found: number | null = null;
  // posts are in order: the last whose top is above the line is the one being read
  let low = 0;
  let high = posts.length - 1;
  const line = 96;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const post = posts[middle] as HTMLElement;
    if (post.getBoundingClientRect().top <= line) {
      found = Number(post.dataset.postNumber);
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found ?? (posts[0] ? Number(posts[0].dataset.postNumber) : null);
}

/** "12 / 340" at the corner of a long thread: where the reader is, of how many posts. */
export function ThreadPosition({ highest }: { highest: number }) {
  const { t, i18n } = useTranslation();
  const [at, setAt] = useState<number | null>(null);
  useEffect(() => {
    if (highest < LONG_THREAD) return;
    let frame = 0;
    const update = () => {
      frame = 0;
      setAt(postAtTop());
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [highest]);
  if (highest < LONG_THREAD || at === null) return null;
  const number = new Intl.NumberFormat(i18n.resolvedLanguage);
  return (
    <p
      className="thread-position"
      data-testid="thread-position"
      title={t('thread.positionTitle', { at, count: highest })}
    >
      <span aria-hidden="true">
        {number.format(at)} / {number.format(highest)}
      </span>
      <span className="visually-hidden">{t('thread.positionTitle', { at, count: highest })}</span>
    </p>
  );
}
