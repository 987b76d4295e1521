import { IdParams, SetTrustLevelBody, TrustProgress } from '@fanlab/shared';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { enforce, errorResponses, notFound } from '../http/errors';
import type { SiteSettingsStore } from '../settings/store';
import { setTrustLevel } from './actions';
import { trustPolicy } from './policy';
import { toTrustProgress } from './present';
import { trustRow } from './queries';

export function trustRoutes(app: App, db: Db, settings: SiteSettingsStore) {
  const tags = ['moderation'];
  const progress = async (userId: number) => {
    const row = await trustRow(db, userId);
    if (!row) throw notFound('The member');
    return toTrustProgress(row, settings.current);
  };

  app.get(
    '/api/users/:id/trust',
    {
      schema: {
        tags,
        summary: "A member's trust level and what the next level still needs (themselves, or staff)",
        params: IdParams,
        response: { 200: TrustProgress, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      enforce(trustPolicy.seeProgress(request.user, { id: request.params.id }), {
        forbidden: "Only staff see another member's trust progress.",
      });
      return progress(request.params.id);
    },
  );

  app.put(
    '/api/moderation/users/:id/trust-level',
    {
      schema: {
        tags,
        summary: "Set a member's trust level, locked by default so the rules no longer move it (staff; audited)",
        params: IdParams,
        body: SetTrustLevelBody,
        response: { 200: TrustProgress, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      enforce(trustPolicy.setLevels(actor), { forbidden: 'Only moderators set trust levels.' });
      const { level, lock = true } = request.body;
      await withTx(db, (tx) => setTrustLevel(tx, actor, request.params.id, level, lock, settings.current));
      return progress(request.params.id);
    },
  );
}
