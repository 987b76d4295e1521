import {
  type BetaProgramState,
  type CreateBetaProgramBody,
  ErrorCodes,
  type UpdateBetaProgramBody,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../../audit/log';
import type { Db } from '../../db/connect';
import { isUniqueViolation } from '../../db/errors';
import type { BetaProgramRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { cleanText, renderPost } from '../../forum/render';
import { AppError, enforce, notFound } from '../../http/errors';
import { betaPolicy } from '../policy';
import { bumpSeats, fillSeats } from './seats';

/*
 * Creating and editing programs (seats and quotas never below the testers accepted). The rules of beta programs. Seats are never oversold: every rule that changes who holds a seat
 * or a place in line (apply, withdraw, decide, edit seats) first locks the program row FOR
 * UPDATE, so for one program they run one at a time, in commit order; the accepted counts (on
 * the program and on each model row) carry CHECKs that make overselling fail even if a rule were
 * wrong. docs/beta.md has the whole argument.
 */

/** A program's Markdown description, rendered before the transaction (no locks held meanwhile). */
export interface ProgramDraft {
  descriptionCooked: string | undefined;
}

export async function draftProgram(db: Db, description: string | undefined): Promise<ProgramDraft> {
  return { descriptionCooked: description === undefined ? undefined : (await renderPost(db, description)).html };
}

const invalid = (field: string, message: string) =>
  new AppError(400, ErrorCodes.betaInvalidProgram, message, { field });

type ProgramFields = Omit<CreateBetaProgramBody, 'categoryId' | 'feedbackCategoryId' | 'slug' | 'name'>;

/** The checks a program's fields must pass together (the schema checks each alone). */
/** Addresses the web app uses under /beta/ for pages of its own: no program may take them. */
const RESERVED_SLUGS = new Set(['new']);

function checkSlug(slug: string | undefined) {
  if (slug !== undefined && RESERVED_SLUGS.has(slug)) {
    throw invalid('slug', `The slug "${slug}" is reserved: /beta/${slug} is the page that creates a program.`);
  }
}

function checkProgram(p: ProgramFields) {
  const models = p.devices.map((d) => d.model);
  if (new Set(models).size !== models.length) throw invalid('devices', 'Each device model may be listed once.');
  if (new Set(p.regions).size !== p.regions.length) throw invalid('regions', 'Each region may be listed once.');
  if (p.opensAt && p.closesAt && new Date(p.opensAt) >= new Date(p.closesAt)) {
    throw invalid('closesAt', 'The program must close after it opens.');
  }
  if (p.quiz) {
    for (const [i, q] of p.quiz.questions.entries()) {
      if (q.correct >= q.choices.length) {
        throw invalid('quiz', `Question ${i + 1}: the correct answer must be one of its ${q.choices.length} choices.`);
      }
    }
    if (p.quiz.passMark > p.quiz.questions.length) {
      throw invalid(
        'quiz',
        `The pass mark (${p.quiz.passMark}) is more than the questions (${p.quiz.questions.length}).`,
      );
    }
  }
}

async function checkCategory(tx: Tx, id: number | null | undefined, field: string) {
  if (id === null || id === undefined) return;
  const found = await tx.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw invalid(field, 'That category does not exist.');
}

/** A new program (a draft). */
export async function createProgram(
  tx: Tx,
  actor: User,
  body: CreateBetaProgramBody,
  draft: ProgramDraft,
): Promise<number> {
  enforce(betaPolicy.manage(actor));
  checkSlug(body.slug);
  checkProgram(body);
  await checkCategory(tx, body.categoryId, 'categoryId');
  await checkCategory(tx, body.feedbackCategoryId, 'feedbackCategoryId');
  let id: number;
  try {
    const row = await tx
      .insertInto('beta_programs')
      .values({
        slug: body.slug,
        name: cleanText(body.name),
        category_id: body.categoryId,
        description: cleanText(body.description),
        description_cooked: draft.descriptionCooked ?? '',
        terms: cleanText(body.terms),
        seats: body.seats,
        regions: body.regions,
        min_account_age_days: body.minAccountAgeDays,
        min_trust_level: body.minTrustLevel,
        quiz: body.quiz === null ? null : JSON.stringify(body.quiz),
        mode: body.mode,
        opens_at: body.opensAt,
        closes_at: body.closesAt,
        feedback_category_id: body.feedbackCategoryId,
        created_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  } catch (error) {
    if (isUniqueViolation(error, 'beta_programs_slug_key')) {
      throw new AppError(409, ErrorCodes.slugTaken, 'Another beta program has this slug.');
    }
    throw error;
  }
  await tx
    .insertInto('beta_program_devices')
    .values(body.devices.map((d, position) => ({ program_id: id, model: d.model, quota: d.quota, position })))
    .execute();
  await writeAudit(tx, { actorId: actor.id, action: 'beta.program_created', targetId: id, data: { slug: body.slug } });
  return id;
}

/** The program row, locked: every change of seats, numbers and the line starts here. */
export async function lockProgram(tx: Tx, id: number): Promise<BetaProgramRow> {
  const program = await tx.selectFrom('beta_programs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!program) throw notFound('The beta program');
  return program;
}

const TRANSITIONS: Record<BetaProgramState, readonly BetaProgramState[]> = {
  draft: ['open', 'archived'],
  open: ['closed', 'archived'],
  closed: ['open', 'archived'],
  archived: [],
};

const toIso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * Changes a program. Seats or a model's quota below the testers accepted on it: 409, nothing
 * changed. More seats (or a larger quota) go to the waitlist at once, first in line first.
 */
export async function updateProgram(
  tx: Tx,
  actor: User,
  id: number,
  patch: UpdateBetaProgramBody,
  draft: ProgramDraft,
): Promise<void> {
  enforce(betaPolicy.manage(actor));
  const program = await lockProgram(tx, id);
  const devices = await tx
    .selectFrom('beta_program_devices')
    .selectAll()
    .where('program_id', '=', id)
    .orderBy('model')
    .forUpdate()
    .execute();
  const merged: ProgramFields = {
    description: patch.description ?? program.description,
    terms: patch.terms ?? program.terms,
    seats: patch.seats ?? program.seats,
    devices: patch.devices ?? devices.sort((a, b) => a.position - b.position),
    regions: patch.regions ?? program.regions,
    minAccountAgeDays: patch.minAccountAgeDays ?? program.min_account_age_days,
    minTrustLevel: patch.minTrustLevel ?? program.min_trust_level,
    quiz: patch.quiz === undefined ? program.quiz : patch.quiz,
    mode: patch.mode ?? program.mode,
    opensAt: patch.opensAt === undefined ? toIso(program.opens_at) : patch.opensAt,
    closesAt: patch.closesAt === undefined ? toIso(program.closes_at) : patch.closesAt,
  };
  checkSlug(patch.slug);
  checkProgram(merged);
  await checkCategory(tx, patch.categoryId, 'categoryId');
  await checkCategory(tx, patch.feedbackCategoryId, 'feedbackCategoryId');
  if (patch.state !== undefined && patch.state !== program.state && !TRANSITIONS[program.state].includes(patch.state)) {
    throw new AppError(
      409,
      ErrorCodes.betaInvalidTransition,
      `A ${program.state} program cannot become ${patch.state}.`,
      { from: program.state, to: patch.state },
    );
  }
  if (merged.seats < program.accepted_count) {
    throw new AppError(
      409,
      ErrorCodes.betaSeatsBelowAccepted,
      `${program.accepted_count} testers are accepted already: seats cannot go below that. Remove testers first.`,
      { accepted: program.accepted_count, seats: merged.seats },
    );
  }
  if (patch.devices) {
    const kept = new Map(patch.devices.map((d) => [d.model, d]));
    for (const current of devices) {
      const next = kept.get(current.model);
      if (!next) {
        const used = await tx
          .selectFrom('beta_applications')
          .select('id')
          .where('program_id', '=', id)
          .where('device_model', '=', current.model)
          .limit(1)
          .executeTakeFirst();
        if (used) {
          throw new AppError(
            409,
            ErrorCodes.betaModelInUse,
            `Members applied with ${current.model}: it cannot be removed from the program.`,
            { model: current.model },
          );
        }
      } else if (next.quota !== null && next.quota < current.accepted_count) {
        throw new AppError(
          409,
          ErrorCodes.betaSeatsBelowAccepted,
          `${current.accepted_count} testers on ${current.model} are accepted already: its quota cannot go below that.`,
          { accepted: current.accepted_count, seats: next.quota, model: current.model },
        );
      }
    }
    const removed = devices.filter((d) => !kept.has(d.model)).map((d) => d.model);
    if (removed.length) {
      await tx.deleteFrom('beta_program_devices').where('program_id', '=', id).where('model', 'in', removed).execute();
    }
    await tx
      .insertInto('beta_program_devices')
      .values(patch.devices.map((d, position) => ({ program_id: id, model: d.model, quota: d.quota, position })))
      .onConflict((oc) =>
        oc.columns(['program_id', 'model']).doUpdateSet((eb) => ({
          quota: eb.ref('excluded.quota'),
          position: eb.ref('excluded.position'),
        })),
      )
      .execute();
  }
  try {
    await tx
      .updateTable('beta_programs')
      .set({
        ...(patch.name !== undefined && { name: cleanText(patch.name) }),
        ...(patch.slug !== undefined && { slug: patch.slug }),
        ...(patch.categoryId !== undefined && { category_id: patch.categoryId }),
        ...(patch.description !== undefined && {
          description: cleanText(patch.description),
          description_cooked: draft.descriptionCooked ?? '',
        }),
        ...(patch.terms !== undefined && { terms: cleanText(patch.terms) }),
        ...(patch.seats !== undefined && { seats: patch.seats }),
        ...(patch.regions !== undefined && { regions: patch.regions }),
        ...(patch.minAccountAgeDays !== undefined && { min_account_age_days: patch.minAccountAgeDays }),
        ...(patch.minTrustLevel !== undefined && { min_trust_level: patch.minTrustLevel }),
        ...(patch.quiz !== undefined && { quiz: patch.quiz === null ? null : JSON.stringify(patch.quiz) }),
        ...(patch.mode !== undefined && { mode: patch.mode }),
        ...(patch.opensAt !== undefined && { opens_at: patch.opensAt }),
        ...(patch.closesAt !== undefined && { closes_at: patch.closesAt }),
        ...(patch.feedbackCategoryId !== undefined && { feedback_category_id: patch.feedbackCategoryId }),
        ...(patch.state !== undefined && { state: patch.state }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error, 'beta_programs_slug_key')) {
      throw new AppError(409, ErrorCodes.slugTaken, 'Another beta program has this slug.');
    }
    throw error;
  }
  await fillSeats(tx, id, actor.id);
  await bumpSeats(tx, id);
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'beta.program_updated',
    targetId: id,
    data: {
      fields: Object.keys(patch),
      ...(patch.seats !== undefined && patch.seats !== program.seats && { seats: [program.seats, patch.seats] }),
      ...(patch.state !== undefined && patch.state !== program.state && { state: [program.state, patch.state] }),
    },
  });
}
