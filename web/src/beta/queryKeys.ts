import type { BetaApplicationListQuery, BetaProgramListQuery } from '@fanlab/shared';

/** Every cache key of the beta UI. Live seats live apart from `beta` so reloading programs leaves them be. */
export const betaKeys = {
  all: ['beta'] as const,
  lists: ['beta', 'list'] as const,
  list: (query: Omit<BetaProgramListQuery, 'cursor' | 'limit'>) => ['beta', 'list', query] as const,
  details: ['beta', 'program'] as const,
  detail: (slug: string) => ['beta', 'program', slug] as const,
  mine: ['beta', 'mine'] as const,
  applications: (programId: number) => ['beta', 'applications', programId] as const,
  applicationList: (programId: number, filter: Omit<BetaApplicationListQuery, 'cursor' | 'limit'>) =>
    ['beta', 'applications', programId, filter] as const,
  seats: (programId: number) => ['beta-seats', programId] as const,
};
