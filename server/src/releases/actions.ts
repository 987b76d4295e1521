import { type CreateReleaseBody, ErrorCodes, type UpdateReleaseBody } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import type { Db } from '../db/connect';
import type { ReleaseRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { cleanText, renderPost } from '../forum/render';
import { AppError, enforce, notFound } from '../http/errors';
import { enforceReleasable, type ReleaseRef, releaseIdeas } from '../ideas/actions';
import { findIdea } from '../ideas/queries';
import { queueFanout } from './fanout';
import { releasePolicy } from './policy';

/** Release notes, rendered before the transaction that stores them (rendering takes no locks). */
export interface NotesDraft {
  raw: string;
  html: string;
}

export async function draftNotes(db: Db, notes: string | undefined): Promise<NotesDraft | undefined> {
  if (notes === undefined) return undefined;
  const raw = cleanText(notes);
  return { raw, html: raw.trim() ? (await renderPost(db, raw)).html : '' };
}

/** A real calendar day (the pattern lets 2026-02-30 through). */
function checkDate(date: string | undefined) {
  if (date === undefined) return;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day || year < 2000 || year > 2100) {
    throw new AppError(400, ErrorCodes.validationFailed, `${date} is not a day between 2000 and 2100.`);
  }
}

const versionTaken = (input: { version: string; channel: string }) =>
  new AppError(409, ErrorCodes.versionTaken, `There is a ${input.channel} release ${input.version} already.`);

/** Each idea exists (404 naming it) and may be delivered by a release (409 naming it). */
async function checkIdeas(tx: Tx, ids: number[]) {
  for (const id of ids) {
    const idea = await findIdea(tx, id).catch((err: unknown) => {
      if (err instanceof AppError && err.statusCode === 404) throw notFound(`Idea #${id}`);
      throw err;
    });
    enforceReleasable(idea);
  }
}

async function lockRelease(tx: Tx, actor: User, id: number): Promise<ReleaseRow> {
  const release = await tx.selectFrom('releases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!release || !releasePolicy.see(actor, release).ok) throw notFound('The release');
  return release;
}

const ref = (r: ReleaseRow): ReleaseRef => ({ id: r.id, version: r.version, channel: r.channel });

const published = {
  [ErrorCodes.releasePublished]: 'This release is published: its version, channel and ideas stay (add ideas only).',
};

/** A draft release (nothing is announced until it is published). */
export async function createRelease(
  tx: Tx,
  actor: User,
  input: CreateReleaseBody,
  notes: NotesDraft | undefined,
): Promise<number> {
  enforce(releasePolicy.manage(actor));
  checkDate(input.date);
  const ideaIds = input.ideaIds ?? [];
  await checkIdeas(tx, ideaIds);
  const row = await tx
    .insertInto('releases')
    .values({
      version: input.version,
      channel: input.channel,
      release_date: input.date,
      notes_raw: notes?.raw ?? '',
      notes_cooked: notes?.html ?? '',
      created_by: actor.id,
    })
    .onConflict((oc) => oc.columns(['channel', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw versionTaken(input);
  if (ideaIds.length) {
    await tx
      .insertInto('release_ideas')
      .values(ideaIds.map((idea_id) => ({ release_id: row.id, idea_id })))
      .execute();
  }
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'release.created',
    targetId: row.id,
    data: { version: input.version, channel: input.channel },
  });
  return row.id;
}

/**
 * Changes what is given. A draft changes freely; a published release keeps its version, channel
 * and ideas (409 release_published), takes a new date and notes, and ideas linked to it now are
 * moved on and announced at once (a fan-out job of their own: voters already told about this
 * release are not told again).
 */
export async function updateRelease(
  tx: Tx,
  actor: User,
  id: number,
  patch: UpdateReleaseBody,
  notes: NotesDraft | undefined,
): Promise<void> {
  enforce(releasePolicy.manage(actor));
  const release = await lockRelease(tx, actor, id);
  enforce(releasePolicy.edit(actor, release));
  checkDate(patch.date);
  const linked = (
    await tx.selectFrom('release_ideas').select('idea_id').where('release_id', '=', id).orderBy('idea_id').execute()
  ).map((r) => r.idea_id);
  const wanted = patch.ideaIds ?? linked;
  const added = wanted.filter((ideaId) => !linked.includes(ideaId));
  const removed = linked.filter((ideaId) => !wanted.includes(ideaId));
  const renamed = patch.version !== undefined && patch.version !== release.version;
  const moved = patch.channel !== undefined && patch.channel !== release.channel;
  if (renamed || moved || removed.length) enforce(releasePolicy.reshape(actor, release), published);
  await checkIdeas(tx, added);

  const fields = (['version', 'channel', 'date', 'notes'] as const).filter((field) => patch[field] !== undefined);
  try {
    await tx
      .updateTable('releases')
      .set({
        ...(patch.version !== undefined ? { version: patch.version } : {}),
        ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
        ...(patch.date !== undefined ? { release_date: patch.date } : {}),
        ...(notes ? { notes_raw: notes.raw, notes_cooked: notes.html } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw versionTaken({ version: patch.version ?? release.version, channel: patch.channel ?? release.channel });
    }
    throw err;
  }
  if (removed.length) {
    await tx.deleteFrom('release_ideas').where('release_id', '=', id).where('idea_id', 'in', removed).execute();
  }
  if (added.length) {
    await tx
      .insertInto('release_ideas')
      .values(added.map((idea_id) => ({ release_id: id, idea_id })))
      .execute();
    if (release.state === 'published') {
      await releaseIdeas(tx, actor, added, ref(release));
      await queueFanout(tx, { releaseId: id, ideaIds: added, actorId: actor.id });
    }
  }
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'release.updated',
    targetId: id,
    data: { fields, linked: added, unlinked: removed },
  });
}

/**
 * Publishes a draft: every linked idea moves on (stable: shipped; beta: in beta, a shipped idea
 * staying shipped), each change in its timeline naming the release and announced on its channel;
 * then a fan-out job is queued, and the workers tell every voter and author (releases/fanout.ts).
 * The transaction holds the release and its ideas' rows only while it writes them: the voters
 * are not read here, however many they are.
 */
export async function publishRelease(tx: Tx, actor: User, id: number): Promise<void> {
  enforce(releasePolicy.manage(actor));
  const release = await lockRelease(tx, actor, id);
  enforce(releasePolicy.publish(actor, release), {
    [ErrorCodes.releasePublished]: 'This release is published already.',
  });
  const ideaIds = (
    await tx.selectFrom('release_ideas').select('idea_id').where('release_id', '=', id).orderBy('idea_id').execute()
  ).map((r) => r.idea_id);
  const moved = await releaseIdeas(tx, actor, ideaIds, ref(release));
  await tx
    .updateTable('releases')
    .set({ state: 'published', published_by: actor.id, published_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
  if (ideaIds.length) await queueFanout(tx, { releaseId: id, ideaIds, actorId: actor.id });
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'release.published',
    targetId: id,
    data: { version: release.version, channel: release.channel, ideas: ideaIds, moved },
  });
}

/** Deletes a draft (a published release stays: 409 release_published). */
export async function deleteRelease(tx: Tx, actor: User, id: number): Promise<void> {
  enforce(releasePolicy.manage(actor));
  const release = await lockRelease(tx, actor, id);
  enforce(releasePolicy.delete(actor, release), {
    [ErrorCodes.releasePublished]: 'A published release cannot be deleted: voters were told about it.',
  });
  await tx.deleteFrom('releases').where('id', '=', id).execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'release.deleted',
    targetId: id,
    data: { version: release.version, channel: release.channel },
  });
}
