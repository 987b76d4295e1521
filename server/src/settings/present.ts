import type { SiteSettingKey, SiteSettingsAnswer } from '@fanlab/shared';
import type { SiteSettingsStore } from './store';

export function toSettingsAnswer(settings: SiteSettingsStore): SiteSettingsAnswer {
  return {
    values: settings.current,
    defaults: settings.defaults,
    changed: settings.changed.map((row) => ({
      key: row.key as SiteSettingKey,
      changedAt: row.updated_at.toISOString(),
      changedBy: row.changed_by,
    })),
  };
}
