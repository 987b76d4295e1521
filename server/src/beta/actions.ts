import {
  type BetaApplicationStatus,
  type BetaApplyBody,
  type BetaDecision,
  type BetaProgramState,
  type CreateBetaProgramBody,
  ErrorCodes,
  type UpdateBetaProgramBody,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import type { Db } from '../db/connect';
import type { BetaApplicationRow, BetaProgramRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { cleanText, renderPost } from '../forum/render';
import { AppError, enforce, notFound } from '../http/errors';
import { history, markDecided, queueChanged } from '../moderation/history';
import { notifyMany } from '../notifications/actions';
import { publishSeats } from './channel';
import { eligibilityFailures, scoreQuiz } from './eligibility';
import { betaPolicy } from './policy';

/*
 * The rules of beta programs. Seats are never oversold: every rule that changes who holds a seat
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

const isUniqueViolation = (error: unknown, constraint: string) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

/** A new program (a draft). */
export async function createProgram(
  tx: Tx,
  actor: User,
  body: CreateBetaProgramBody,
  draft: ProgramDraft,
): Promise<number> {
  enforce(betaPolicy.manage(actor));
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

/** Moves the program's live cursor on and announces its seats (delivered at commit). */
export async function bumpSeats(tx: Tx, programId: number) {
  await tx
    .updateTable('beta_programs')
    .set((eb) => ({ seats_version: eb('seats_version', '+', 1) }))
    .where('id', '=', programId)
    .execute();
  await publishSeats(tx, programId);
}

const programRef = (p: Pick<BetaProgramRow, 'id' | 'slug' | 'name'>) => ({
  programId: p.id,
  programSlug: p.slug,
  programName: p.name,
});

/**
 * Gives free seats to the waitlist, first in line first: each time the first waitlisted
 * application whose device model still has room (its quota), until no seat is left or nobody
 * fits. Called with the program row locked, in the transaction that freed the seats, so a freed
 * seat is never seen free by anyone else. Each promoted member is notified (live, at commit).
 */
async function fillSeats(tx: Tx, programId: number, actorId: number | null): Promise<number[]> {
  const promoted: number[] = [];
  for (;;) {
    const program = await tx
      .selectFrom('beta_programs')
      .select(['id', 'slug', 'name', 'seats', 'accepted_count'])
      .where('id', '=', programId)
      .executeTakeFirstOrThrow();
    if (program.accepted_count >= program.seats) break;
    const next = await tx
      .selectFrom('beta_applications as a')
      .innerJoin('beta_program_devices as d', (j) =>
        j.onRef('d.program_id', '=', 'a.program_id').onRef('d.model', '=', 'a.device_model'),
      )
      .select(['a.id', 'a.user_id', 'a.device_model'])
      .where('a.program_id', '=', programId)
      .where('a.status', '=', 'waitlisted')
      .where((eb) => eb.or([eb('d.quota', 'is', null), eb('d.accepted_count', '<', eb.ref('d.quota'))]))
      .orderBy('a.waitlist_seq')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    const testerNumber = await takeSeat(tx, programId, next.device_model);
    await tx
      .updateTable('beta_applications')
      .set({
        status: 'accepted',
        tester_number: sql<number>`coalesce(tester_number, ${testerNumber})`,
        decided_at: sql<Date>`now()`,
        decided_by: null,
        reason: null,
      })
      .where('id', '=', next.id)
      .execute();
    await notifyMany(tx, {
      userIds: [next.user_id],
      kind: 'beta_waitlisted_promoted',
      threadId: null,
      actorId,
      data: { ...programRef(program), testerNumber },
    });
    promoted.push(next.id);
  }
  return promoted;
}

/**
 * Takes one seat (the program's and the model's counts up, the next tester number): the caller
 * checked there is one and holds the program lock. The CHECKs refuse an oversold count anyway.
 */
async function takeSeat(tx: Tx, programId: number, model: string): Promise<number> {
  const program = await tx
    .updateTable('beta_programs')
    .set((eb) => ({
      accepted_count: eb('accepted_count', '+', 1),
      next_tester_number: eb('next_tester_number', '+', 1),
    }))
    .where('id', '=', programId)
    .returning(sql<number>`next_tester_number - 1`.as('number'))
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('beta_program_devices')
    .set((eb) => ({ accepted_count: eb('accepted_count', '+', 1) }))
    .where('program_id', '=', programId)
    .where('model', '=', model)
    .execute();
  return program.number;
}

/** Gives a seat back (a tester withdrew or was removed). */
async function freeSeat(tx: Tx, programId: number, model: string) {
  await tx
    .updateTable('beta_programs')
    .set((eb) => ({ accepted_count: eb('accepted_count', '-', 1) }))
    .where('id', '=', programId)
    .execute();
  await tx
    .updateTable('beta_program_devices')
    .set((eb) => ({ accepted_count: eb('accepted_count', '-', 1) }))
    .where('program_id', '=', programId)
    .where('model', '=', model)
    .execute();
}

/** The next place in line (under the program lock: its order is the commit order). */
async function nextInLine(tx: Tx, programId: number): Promise<number> {
  const row = await tx
    .updateTable('beta_programs')
    .set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
    .where('id', '=', programId)
    .returning('waitlist_seq')
    .executeTakeFirstOrThrow();
  return row.waitlist_seq;
}

/** Whether the program has a seat for this model now (its total and the model's quota). */
async function hasSeat(tx: Tx, program: Pick<BetaProgramRow, 'id' | 'seats' | 'accepted_count'>, model: string) {
  if (program.accepted_count >= program.seats) return false;
  const device = await tx
    .selectFrom('beta_program_devices')
    .select(['quota', 'accepted_count'])
    .where('program_id', '=', program.id)
    .where('model', '=', model)
    .executeTakeFirstOrThrow();
  return device.quota === null || device.accepted_count < device.quota;
}

export type ApplyOutcome = 'accepted' | 'waitlisted' | 'pending';
export interface ApplyResult {
  outcome: ApplyOutcome;
  applicationId: number;
}
export interface ApplyRequest {
  user: User;
  body: BetaApplyBody;
}

/**
 * A member applies. Refusals write nothing: the program is not one they may see (404), no
 * consent or answers that are not answers (400), applied before (409), or any eligibility rule
 * failed (422 naming each). First come: a seat if one is left for their model (tester number),
 * else the end of the line. Reviewed: pending, in the review queue.
 */
export async function applyToProgram(tx: Tx, user: User, programId: number, body: BetaApplyBody): Promise<ApplyResult> {
  const [result] = await applyMany(tx, programId, [{ user, body }]);
  if (result instanceof AppError) throw result;
  return result as ApplyResult;
}

/** Each request's refusal, or nothing when it may go on (with its quiz score). Pure. */
function refusal(
  program: BetaProgramRow,
  models: readonly string[],
  { user, body }: ApplyRequest,
  applied: ReadonlyMap<number, BetaApplicationStatus>,
  now: Date,
): AppError | { score: number | null } {
  const policy = betaPolicy.apply(user, program);
  if (!policy.ok) {
    try {
      enforce(policy, { [ErrorCodes.notFound]: 'The beta program does not exist.' });
    } catch (error) {
      return error as AppError;
    }
  }
  if (!body.consent)
    return new AppError(400, ErrorCodes.betaConsentRequired, "Consent to the program's terms to apply.");
  const scored = scoreQuiz(program.quiz, body.quizAnswers);
  if ('invalid' in scored) return new AppError(400, ErrorCodes.betaQuizAnswers, scored.invalid);
  const status = applied.get(user.id);
  if (status) {
    return new AppError(
      409,
      ErrorCodes.betaAlreadyApplied,
      `You applied to this program already (your application is ${status}).`,
      { status },
    );
  }
  const failed = eligibilityFailures(
    program,
    models,
    user,
    { deviceModel: body.deviceModel, region: body.region, score: scored.score },
    now,
  );
  if (failed.length) {
    return new AppError(422, ErrorCodes.betaNotEligible, `Not eligible: ${failed.map((f) => f.message).join(' ')}`, {
      failed,
    });
  }
  return { score: scored.score };
}

/**
 * Applications to one program, in the order given (their arrival order), in one go: the
 * program row is locked once, each request is checked and given its outcome in order against
 * the counts as the earlier ones left them, and then everything is written in a few set-based
 * statements (the applications, the program's counters, the models' counts, the review items).
 * Each result is the outcome or the refusal (an AppError: that request wrote nothing). The
 * application writer (writer.ts) sends a whole batch through here; applyToProgram sends one.
 */
export async function applyMany(
  tx: Tx,
  programId: number,
  requests: readonly ApplyRequest[],
  /** false: the caller announces the seats itself (once for many programs' batches). */
  announce = true,
): Promise<(ApplyResult | AppError)[]> {
  const program = await lockProgram(tx, programId);
  const devices = await tx
    .selectFrom('beta_program_devices')
    .select(['model', 'quota', 'accepted_count'])
    .where('program_id', '=', programId)
    .orderBy('position')
    .execute();
  const models = devices.map((d) => d.model);
  const userIds = [...new Set(requests.map((r) => r.user.id))];
  const applied = new Map(
    (
      await tx
        .selectFrom('beta_applications')
        .select(['user_id', 'status'])
        .where('program_id', '=', programId)
        .where('user_id', 'in', userIds)
        .execute()
    ).map((a) => [a.user_id, a.status]),
  );
  const modelCounts = new Map(devices.map((d) => [d.model, { quota: d.quota, accepted: d.accepted_count }]));
  let accepted = program.accepted_count;
  let nextNumber = program.next_tester_number;
  let seq = program.waitlist_seq;
  const now = new Date();
  const results: (ApplyResult | AppError | undefined)[] = [];
  const rows: {
    index: number;
    outcome: ApplyOutcome;
    user_id: number;
    device_model: string;
    region: string;
    quiz_answers: number[] | null;
    quiz_score: number | null;
    status: BetaApplicationStatus;
    tester_number: number | null;
    waitlist_seq: number | null;
  }[] = [];
  for (const [index, request] of requests.entries()) {
    const checked = refusal(program, models, request, applied, now);
    if (checked instanceof AppError) {
      results[index] = checked;
      continue;
    }
    applied.set(request.user.id, 'pending');
    const model = modelCounts.get(request.body.deviceModel) as { quota: number | null; accepted: number };
    let outcome: ApplyOutcome;
    let testerNumber: number | null = null;
    let place: number | null = null;
    if (program.mode === 'reviewed') outcome = 'pending';
    else if (accepted < program.seats && (model.quota === null || model.accepted < model.quota)) {
      outcome = 'accepted';
      testerNumber = nextNumber++;
      accepted += 1;
      model.accepted += 1;
    } else {
      outcome = 'waitlisted';
      seq += 1;
      place = seq;
    }
    rows.push({
      index,
      outcome,
      user_id: request.user.id,
      device_model: request.body.deviceModel,
      region: request.body.region,
      quiz_answers: program.quiz ? (request.body.quizAnswers ?? []) : null,
      quiz_score: checked.score,
      status: outcome,
      tester_number: testerNumber,
      waitlist_seq: place,
    });
  }
  if (!rows.length) return results as AppError[];

  const inserted = await tx
    .insertInto('beta_applications')
    .values(
      rows.map(({ index: _, outcome, ...row }) => ({
        ...row,
        program_id: programId,
        consented_at: now,
        ...(outcome === 'accepted' && { decided_at: now }),
      })),
    )
    .returning(['id', 'user_id'])
    .execute();
  const idOf = new Map(inserted.map((r) => [r.user_id, r.id]));
  for (const row of rows) results[row.index] = { outcome: row.outcome, applicationId: idOf.get(row.user_id) as number };

  if (accepted !== program.accepted_count || seq !== program.waitlist_seq) {
    // the counts as the checks above left them: the program row is locked, nobody else moved them
    await tx
      .updateTable('beta_programs')
      .set({ accepted_count: accepted, next_tester_number: nextNumber, waitlist_seq: seq })
      .where('id', '=', programId)
      .execute();
    const moved = devices.filter((d) => modelCounts.get(d.model)?.accepted !== d.accepted_count);
    if (moved.length) {
      await sql`update beta_program_devices d set accepted_count = m.accepted
          from unnest(${moved.map((d) => d.model)}::text[], ${moved.map((d) => modelCounts.get(d.model)?.accepted)}::int[])
            as m(model, accepted)
          where d.program_id = ${programId} and d.model = m.model`.execute(tx);
    }
    if (announce) await bumpSeats(tx, programId);
  }
  const pending = rows.filter((r) => r.outcome === 'pending');
  if (pending.length) {
    const items = await tx
      .insertInto('reviewables')
      .values(
        pending.map((r) => ({
          type: 'beta_application' as const,
          beta_application_id: idOf.get(r.user_id) as number,
          post_id: null,
          thread_id: null,
          category_id: program.category_id,
          target_author_id: r.user_id,
          top_reason: 'beta_application' as const,
        })),
      )
      .returning(['id', 'target_author_id'])
      .execute();
    await tx
      .insertInto('reviewable_history')
      .values(
        items.map((item) => ({
          reviewable_id: item.id,
          actor_id: item.target_author_id,
          action: 'applied',
          data: JSON.stringify({ program: programId }),
        })),
      )
      .execute();
    await queueChanged(tx);
  }
  return results as (ApplyResult | AppError)[];
}

/** The review item of an application, locked (before the program: the review queue's order). */
async function lockReviewableOf(tx: Tx, applicationId: number) {
  return tx
    .selectFrom('reviewables')
    .select(['id', 'status', 'version'])
    .where('beta_application_id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The applicant withdraws (pending, accepted or waitlisted). An accepted tester's seat goes, in
 * the same transaction, to the first waitlisted applicant it fits (who is notified); the tester
 * keeps their number (numbers are never reused). A pending one leaves the review queue.
 */
export async function withdrawApplication(tx: Tx, user: User, programId: number): Promise<number> {
  const found = await tx
    .selectFrom('beta_applications')
    .select('id')
    .where('program_id', '=', programId)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (!found) throw notFound('Your application to this program');
  // lock order everywhere: review item, program, application
  const reviewable = await lockReviewableOf(tx, found.id);
  const program = await lockProgram(tx, programId);
  const application = await tx
    .selectFrom('beta_applications')
    .selectAll()
    .where('id', '=', found.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  enforce(betaPolicy.withdraw(user, application, program), {
    [ErrorCodes.betaInvalidTransition]:
      program.state === 'archived'
        ? 'The program is archived: applications stay as they were.'
        : `Your application is ${application.status}: there is nothing to withdraw.`,
  });
  await tx
    .updateTable('beta_applications')
    .set({ status: 'withdrawn', decided_at: sql<Date>`now()`, decided_by: user.id, reason: null })
    .where('id', '=', application.id)
    .execute();
  if (application.status === 'accepted') {
    await freeSeat(tx, programId, application.device_model);
    await fillSeats(tx, programId, null);
  }
  if (reviewable && reviewable.status === 'pending') {
    await markDecided(tx, reviewable, { status: 'rejected', version: reviewable.version + 1, actorId: user.id });
    await history(tx, reviewable.id, user.id, 'withdrawn');
    await queueChanged(tx);
  }
  if (application.status !== 'pending') await bumpSeats(tx, programId);
  return application.id;
}

const ALLOWED_FROM: Record<BetaDecision, readonly BetaApplicationStatus[]> = {
  accept: ['pending', 'waitlisted', 'rejected'],
  reject: ['pending', 'waitlisted'],
  waitlist: ['pending', 'rejected'],
  remove: ['accepted'],
};
const DECIDED_STATUS: Record<BetaDecision, BetaApplicationStatus> = {
  accept: 'accepted',
  reject: 'rejected',
  waitlist: 'waitlisted',
  remove: 'removed',
};

/**
 * A manager's decision (from the applications table or the review queue), with the reason the
 * applicant is told. Accept takes a seat or is refused (409 beta_no_seats: waitlist instead);
 * remove frees one, which goes to the waitlist in the same transaction. The review item, if the
 * application has one still pending, is decided with it. The caller locked the review item
 * (if any) before this locks the program.
 */
async function decide(
  tx: Tx,
  actor: User,
  applicationId: number,
  action: BetaDecision,
  reason: string | null,
  reviewable: { id: number; status: string; version: number } | undefined,
): Promise<void> {
  const found = await tx
    .selectFrom('beta_applications')
    .select('program_id')
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!found) throw notFound('The application');
  const program = await lockProgram(tx, found.program_id);
  const application = await tx
    .selectFrom('beta_applications')
    .selectAll()
    .where('id', '=', applicationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!ALLOWED_FROM[action].includes(application.status)) {
    throw new AppError(
      409,
      ErrorCodes.betaInvalidTransition,
      `An application that is ${application.status} cannot be ${DECIDED_STATUS[action]}.`,
      { status: application.status },
    );
  }
  const to = DECIDED_STATUS[action];
  const set: Partial<Pick<BetaApplicationRow, 'tester_number' | 'waitlist_seq'>> = {};
  if (action === 'accept') {
    if (!(await hasSeat(tx, program, application.device_model))) {
      throw new AppError(
        409,
        ErrorCodes.betaNoSeats,
        `No seat is left for ${application.device_model}: waitlist the application instead.`,
        { model: application.device_model },
      );
    }
    set.tester_number = application.tester_number ?? (await takeSeat(tx, program.id, application.device_model));
  }
  if (action === 'waitlist') set.waitlist_seq = await nextInLine(tx, program.id);
  await tx
    .updateTable('beta_applications')
    .set({ ...set, status: to, reason, decided_at: sql<Date>`now()`, decided_by: actor.id })
    .where('id', '=', application.id)
    .execute();
  let promoted: number[] = [];
  if (action === 'remove') {
    await freeSeat(tx, program.id, application.device_model);
    promoted = await fillSeats(tx, program.id, actor.id);
  }
  if (
    reviewable &&
    reviewable.status === 'pending' &&
    (to === 'accepted' || to === 'rejected' || to === 'waitlisted')
  ) {
    await markDecided(tx, reviewable, { status: to, version: reviewable.version + 1, actorId: actor.id });
    await history(tx, reviewable.id, actor.id, 'decided', { action, reason });
    await queueChanged(tx);
  }
  await notifyMany(tx, {
    userIds: [application.user_id],
    kind: action === 'accept' ? 'beta_accepted' : 'beta_decided',
    threadId: null,
    actorId: actor.id,
    data:
      action === 'accept'
        ? { ...programRef(program), testerNumber: set.tester_number }
        : { ...programRef(program), status: to, reason },
  });
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'beta.application_decided',
    targetId: program.id,
    data: {
      application: application.id,
      user: application.user_id,
      action,
      from: application.status,
      to,
      reason,
      promoted,
    },
  });
  if (action !== 'reject' || application.status === 'waitlisted') await bumpSeats(tx, program.id);
}

/** A decision from the program's applications table (managers). */
export async function decideApplication(
  tx: Tx,
  actor: User,
  applicationId: number,
  action: BetaDecision,
  reason: string,
): Promise<void> {
  enforce(betaPolicy.manage(actor));
  const reviewable = await lockReviewableOf(tx, applicationId);
  await decide(tx, actor, applicationId, action, cleanText(reason), reviewable);
}

/**
 * A decision from the review queue (performReviewAction locked the item and checked its version
 * and claim): accept, waitlist or reject. Returns the item's new status.
 */
export async function decideReviewedApplication(
  tx: Tx,
  actor: User,
  item: { id: number; status: string; version: number; beta_application_id: number | null },
  action: 'accept' | 'waitlist' | 'reject',
  reason: string | undefined,
): Promise<'accepted' | 'waitlisted' | 'rejected'> {
  if (item.beta_application_id === null) throw notFound('The application');
  await decide(tx, actor, item.beta_application_id, action, reason ? cleanText(reason) : null, item);
  return action === 'accept' ? 'accepted' : action === 'waitlist' ? 'waitlisted' : 'rejected';
}
