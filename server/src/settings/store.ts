import {
  defaultSiteSettings,
  type SiteSettingKey,
  SiteSettingKeys,
  type SiteSettings,
  siteSettingSchema,
} from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import { Compile } from 'typebox/compile';
import type { Db } from '../db/connect';
import { type StoredSetting, storedSettings } from './queries';

/** The live-bus channel a settings change is announced on: every process reloads its copy. */
export const SETTINGS_CHANNEL = 'settings:site';

const checks = Object.fromEntries(SiteSettingKeys.map((key) => [key, Compile(siteSettingSchema(key))])) as Record<
  SiteSettingKey,
  ReturnType<typeof Compile>
>;

const isKey = (key: string): key is SiteSettingKey => Object.hasOwn(defaultSiteSettings, key);

/**
 * This process's copy of the site settings: read synchronously by every rule (`current`),
 * loaded at start, reloaded when a change is announced on the live bus (and after the bus
 * reconnects, since announcements may have been missed meanwhile).
 */
export class SiteSettingsStore {
  private values: SiteSettings;
  private stored: StoredSetting[] = [];
  private loading: Promise<void> | undefined;
  private again = false;

  /** `defaults`: the code's defaults, overridden by the app's options (tests). */
  constructor(
    private readonly db: Db,
    readonly defaults: SiteSettings,
    private readonly log?: FastifyBaseLogger,
  ) {
    this.values = { ...defaults };
  }

  get current(): SiteSettings {
    return this.values;
  }

  /** Settings changed from their defaults, as stored. */
  get changed(): readonly StoredSetting[] {
    return this.stored;
  }

  /** Reads the table again. Calls while a read runs queue one more read (never lose a change). */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          this.apply(await storedSettings(this.db));
        } while (this.again);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /**
   * Reloads, logging instead of throwing (a bus message must not crash the process); `then`
   * runs once the new values are current.
   */
  reloadSoon(then?: () => void): void {
    this.reload()
      .then(then)
      .catch((err) => this.log?.error({ err }, 'could not reload site settings'));
  }

  private apply(rows: StoredSetting[]) {
    const values = { ...this.defaults } as Record<SiteSettingKey, unknown>;
    const kept: StoredSetting[] = [];
    for (const row of rows) {
      // A stored value this code does not know or accept (a setting renamed or narrowed by a
      // later version) is ignored: the default applies.
      if (!isKey(row.key) || !checks[row.key].Check(row.value)) {
        this.log?.warn({ key: row.key }, 'ignoring a stored site setting this version does not accept');
        continue;
      }
      values[row.key] = row.value;
      kept.push(row);
    }
    this.values = values as SiteSettings;
    this.stored = kept;
  }
}
