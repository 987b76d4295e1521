import type { Me } from '@fanlab/shared';
import { useQuery } from '@tanstack/react-query';
import { getMe } from '../api/auth';

/** The one cache entry for the signed-in user (null when signed out). */
export const meQueryKey = ['me'] as const;

export function useMe() {
  return useQuery<Me | null>({ queryKey: meQueryKey, queryFn: getMe, staleTime: 60_000 });
}
