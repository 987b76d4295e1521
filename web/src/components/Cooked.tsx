import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';

/**
 * Server-rendered, sanitised post HTML. Links to pages of this site (mentions, quotes' sources)
 * are followed inside the app instead of reloading it.
 */
export function Cooked({ html, className = 'cooked', testId }: { html: string; className?: string; testId?: string }) {
  const navigate = useNavigate();
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = (event.target as Element).closest('a');
    const href = link?.getAttribute('href');
    if (!link || !href || link.target || !href.startsWith('/') || href.startsWith('//')) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: only catches clicks on the links inside, which keep their own keyboard behaviour
    <div
      className={className}
      data-testid={testId}
      onClick={onClick}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: the server rendered and sanitised this HTML
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
