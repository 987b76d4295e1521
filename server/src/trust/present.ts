import type { SiteSettings, TrustProgress } from '@fanlab/shared';
import type { TrustRow } from './queries';
import { nextLevelRules, statsOf } from './rules';

export function toTrustProgress(row: TrustRow, settings: SiteSettings): TrustProgress {
  return {
    level: row.trust_level,
    locked: row.trust_level_locked,
    stats: statsOf(row),
    next: row.trust_level_locked ? null : nextLevelRules(row, row.trust_level, settings),
  };
}
