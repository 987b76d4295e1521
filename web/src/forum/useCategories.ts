import { useQuery } from '@tanstack/react-query';
import { getCategories, getCategory } from '../api/forum';
import { forumKeys } from './queryKeys';

/** Every category (flat, by position), each with its latest threads. */
export function useCategories() {
  return useQuery({ queryKey: forumKeys.categories, queryFn: getCategories, staleTime: 30_000 });
}

/** One category with its parent and sub-categories. */
export function useCategory(slug: string) {
  return useQuery({ queryKey: forumKeys.category(slug), queryFn: () => getCategory(slug), staleTime: 30_000 });
}
