import type { SiteSettingKey } from '@fanlab/shared';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';

export interface StoredSetting {
  key: string;
  value: unknown;
  updated_at: Date;
  changed_by: string | null;
}

/** Every stored (changed from default) setting, with who changed it last. */
export async function storedSettings(db: Db | Tx): Promise<StoredSetting[]> {
  return db
    .selectFrom('site_settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.key', 's.value', 's.updated_at', 'u.username as changed_by'])
    .orderBy('s.key')
    .execute();
}

/** The stored values of some settings, locked for a change. */
export async function lockStored(tx: Tx, keys: SiteSettingKey[]): Promise<Map<string, unknown>> {
  if (!keys.length) return new Map();
  const rows = await tx
    .selectFrom('site_settings')
    .select(['key', 'value'])
    .where('key', 'in', keys)
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}
