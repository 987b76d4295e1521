import { type BetaApplicationStatus, type BetaDecision, ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../../audit/log';
import type { BetaApplicationRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { cleanText } from '../../forum/render';
import { AppError, enforce, notFound } from '../../http/errors';
import { history, markDecided, queueChanged } from '../../moderation/history';
import { notifyMany } from '../../notifications/actions';
import { betaPolicy } from '../policy';
import { lockReviewableOf } from './applications';
import { lockProgram } from './programs';
import { bumpSeats, fillSeats, freeSeat, hasSeat, nextInLine, programRef, takeSeat } from './seats';

/*
 * Managers' and reviewers' decisions on applications. The rules of beta programs. Seats are never oversold: every rule that changes who holds a seat
 * or a place in line (apply, withdraw, decide, edit seats) first locks the program row FOR
 * UPDATE, so for one program they run one at a time, in commit order; the accepted counts (on
 * the program and on each model row) carry CHECKs that make overselling fail even if a rule were
 * wrong. docs/beta.md has the whole argument.
 */

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
    // only accepted applications hold a number, and one is never accepted twice
    set.tester_number = await takeSeat(tx, program.id, application.device_model);
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
