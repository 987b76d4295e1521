import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { searchUsers } from '../api/users';
import { mentionAt } from './markdownEdit';

/**
 * The @mention being typed in a text area and the members it may mean (GET /api/users?q=).
 * `track` is called with the text and caret whenever either moves; `close` hides the list until
 * the next keystroke.
 */
export function useMentions() {
  const [mention, setMention] = useState<{ start: number; caret: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const query = mention?.query ?? '';
  const found = useQuery({
    queryKey: ['users', 'search', query.toLowerCase()],
    queryFn: () => searchUsers(query),
    enabled: query !== '',
    staleTime: 30_000,
    retry: false,
  });
  const options = mention && found.data ? found.data : [];
  return {
    mention,
    options,
    active: Math.min(active, Math.max(0, options.length - 1)),
    setActive,
    track(value: string, caret: number) {
      const at = mentionAt(value, caret);
      setMention(at ? { ...at, caret } : null);
      if (!at || at.query !== mention?.query) setActive(0);
    },
    close() {
      setMention(null);
    },
  };
}
