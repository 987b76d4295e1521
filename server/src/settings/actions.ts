import type { SiteSettingKey, SiteSettings, SiteSettingsPatch } from '@fanlab/shared';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import { publish } from '../db/bus';
import type { Tx } from '../db/tx';
import { lockStored } from './queries';
import { SETTINGS_CHANNEL } from './store';

/**
 * Sets the given settings (null: back to the default), writes one audit entry with each change
 * as [before, after], and tells every process to reload, all in the caller's transaction. Values
 * equal to what is in force already change nothing.
 */
export async function updateSettings(
  tx: Tx,
  actor: Pick<User, 'id'>,
  patch: SiteSettingsPatch,
  defaults: SiteSettings,
): Promise<number> {
  const keys = Object.keys(patch) as SiteSettingKey[];
  const stored = await lockStored(tx, keys);
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of keys) {
    const next = patch[key];
    const before = stored.has(key) ? stored.get(key) : defaults[key];
    const after = next === null || next === undefined ? defaults[key] : next;
    if (next === null || next === undefined || sameValue(next, defaults[key])) {
      if (stored.has(key)) await tx.deleteFrom('site_settings').where('key', '=', key).execute();
    } else {
      await tx
        .insertInto('site_settings')
        .values({ key, value: JSON.stringify(next), updated_by: actor.id })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_by: actor.id, updated_at: new Date() }),
        )
        .execute();
    }
    if (!sameValue(before, after)) changes[key] = [before, after];
  }
  const changed = Object.keys(changes).length;
  if (changed) {
    await writeAudit(tx, { actorId: actor.id, action: 'settings.updated', targetId: null, data: { changes } });
    await publish(tx, {
      channel: SETTINGS_CHANNEL,
      event: 'changed',
      cursor: null,
      data: { keys: Object.keys(changes) },
    });
  }
  return changed;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
