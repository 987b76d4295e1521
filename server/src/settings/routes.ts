import { SiteSettingsAnswer, SiteSettingsPatch } from '@fanlab/shared';
import { authorize } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { promoteAll } from '../trust/actions';
import { updateSettings } from './actions';
import { toSettingsAnswer } from './present';
import type { SiteSettingsStore } from './store';

export function settingsRoutes(app: App, db: Db, settings: SiteSettingsStore) {
  const tags = ['admin'];

  app.get(
    '/api/admin/settings',
    {
      schema: {
        tags,
        summary: 'Site settings in force, their defaults, and which were changed (admins)',
        response: { 200: SiteSettingsAnswer, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      authorize(request, 'manageSettings');
      // the copy the live bus keeps current: what every rule of this process applies
      return toSettingsAnswer(settings);
    },
  );

  app.patch(
    '/api/admin/settings',
    {
      schema: {
        tags,
        summary: 'Change site settings (admins; null restores a default; written to the audit log)',
        body: SiteSettingsPatch,
        response: { 200: SiteSettingsAnswer, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const admin = authorize(request, 'manageSettings');
      const patch = request.body as SiteSettingsPatch;
      await withTx(db, (tx) => updateSettings(tx, admin, patch, settings.defaults));
      // This process sees the change at once; the others when the announcement reaches them.
      await settings.reload();
      // Easier rules promote the members who now meet them (promotions otherwise happen as
      // members act).
      if (Object.keys(patch).some((key) => key.startsWith('tl')))
        await withTx(db, (tx) => promoteAll(tx, settings.current));
      return toSettingsAnswer(settings);
    },
  );
}
