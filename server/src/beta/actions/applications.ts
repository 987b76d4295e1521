import { type BetaApplicationStatus, type BetaApplyBody, ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { BetaProgramRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { AppError, enforce, notFound } from '../../http/errors';
import { history, markDecided, queueChanged } from '../../moderation/history';
import { eligibilityFailures, scoreQuiz } from '../eligibility';
import { betaPolicy } from '../policy';
import { lockProgram } from './programs';
import { bumpSeats, fillSeats, freeSeat } from './seats';

/*
 * Applying (applyMany / applyToProgram) and withdrawing. The rules of beta programs. Seats are never oversold: every rule that changes who holds a seat
 * or a place in line (apply, withdraw, decide, edit seats) first locks the program row FOR
 * UPDATE, so for one program they run one at a time, in commit order; the accepted counts (on
 * the program and on each model row) carry CHECKs that make overselling fail even if a rule were
 * wrong. docs/beta.md has the whole argument.
 */

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
export async function lockReviewableOf(tx: Tx, applicationId: number) {
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
