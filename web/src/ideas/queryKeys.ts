import type { IdeaListParams } from '../api/ideas';

/** Every cache key of the ideas UI. Vote states live apart from `ideas` so invalidating lists leaves them be. */
export const ideaKeys = {
  all: ['ideas'] as const,
  lists: ['ideas', 'list'] as const,
  list: (params: Omit<IdeaListParams, 'cursor' | 'limit'>) => ['ideas', 'list', params] as const,
  details: ['ideas', 'detail'] as const,
  detail: (id: number) => ['ideas', 'detail', id] as const,
  similar: (q: string, category: string | undefined) => ['ideas', 'similar', q, category ?? null] as const,
  voters: (id: number) => ['ideas', 'voters', id] as const,
  votes: (id: number) => ['idea-votes', id] as const,
};
