import type {
  BetaApplication,
  BetaApplicationStatus,
  BetaProgram,
  BetaProgramState,
  BetaProgramSummary,
  MyBetaApplication,
} from '@fanlab/shared';
import type { User } from 'lucia';
import { closedReason } from './eligibility';
import { betaPolicy } from './policy';
import type { ProgramRow } from './queries';
import { modelSeatsLeft, toSeats } from './queries';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The applicant's view of their application. */
export interface MyApplicationRow {
  id: number;
  program_id: number;
  program_slug: string;
  program_name: string;
  program_state: BetaProgramState;
  status: BetaApplicationStatus;
  device_model: string;
  region: string;
  quiz_score: number | null;
  tester_number: number | null;
  waitlist_position: number | null;
  reason: string | null;
  applied_at: Date;
  decided_at: Date | null;
}

export function toMyApplication(row: MyApplicationRow, viewer: User): MyBetaApplication {
  return {
    id: row.id,
    program: { id: row.program_id, slug: row.program_slug, name: row.program_name },
    status: row.status,
    deviceModel: row.device_model,
    region: row.region,
    quizScore: row.quiz_score,
    testerNumber: row.tester_number,
    waitlistPosition: row.waitlist_position,
    reason: row.reason,
    appliedAt: row.applied_at.toISOString(),
    decidedAt: iso(row.decided_at),
    canWithdraw: betaPolicy.withdraw(viewer, { user_id: viewer.id, status: row.status }, { state: row.program_state })
      .ok,
  };
}

const categoryRef = (id: number, slug: string, name: string) => ({ id, slug, name });

export function toSummary(row: ProgramRow, myStatus: BetaApplicationStatus | null, now: Date): BetaProgramSummary {
  const closed = closedReason(row, now);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    category: categoryRef(row.category_id, row.category_slug, row.category_name),
    mode: row.mode,
    state: row.state,
    opensAt: iso(row.opens_at),
    closesAt: iso(row.closes_at),
    accepting: closed === null,
    closedReason: closed,
    seats: toSeats(row),
    myStatus,
    createdAt: row.created_at.toISOString(),
  };
}

/** One program for a reader: the quiz's answers only for its managers. */
export function toProgram(
  row: ProgramRow,
  viewer: User | null,
  mine: MyBetaApplication | null,
  now: Date,
): BetaProgram {
  const manager = betaPolicy.manage(viewer).ok;
  const closed = closedReason(row, now);
  return {
    ...toSummary(row, mine?.status ?? null, now),
    description: row.description,
    descriptionCooked: row.description_cooked,
    terms: row.terms,
    devices: row.devices.map((d) => ({
      model: d.model,
      quota: d.quota,
      accepted: d.accepted,
      seatsLeft: modelSeatsLeft(row, d),
    })),
    regions: row.regions,
    minAccountAgeDays: row.min_account_age_days,
    minTrustLevel: row.min_trust_level,
    quiz: row.quiz
      ? {
          passMark: row.quiz.passMark,
          questions: row.quiz.questions.map((q) => ({
            prompt: q.prompt,
            choices: q.choices,
            correct: manager ? q.correct : null,
          })),
        }
      : null,
    feedbackCategory:
      row.feedback_category_id !== null && row.feedback_slug !== null && row.feedback_name !== null
        ? categoryRef(row.feedback_category_id, row.feedback_slug, row.feedback_name)
        : null,
    testersNumbered: row.next_tester_number - 1,
    updatedAt: row.updated_at.toISOString(),
    myApplication: mine,
    canApply: mine === null && closed === null && betaPolicy.apply(viewer, row).ok,
    canManage: manager,
  };
}

/** An application in the management table. */
export interface ApplicationRow {
  id: number;
  program_id: number;
  user_id: number;
  username: string;
  status: BetaApplicationStatus;
  device_model: string;
  region: string;
  quiz_score: number | null;
  tester_number: number | null;
  waitlist_position: number | null;
  reason: string | null;
  applied_at: Date;
  decided_at: Date | null;
  decided_by: number | null;
  decided_by_username: string | null;
  feedback_count: number;
  last_seen_at: Date | null;
  reviewable_id: number | null;
}

export function toApplication(row: ApplicationRow): BetaApplication {
  return {
    id: row.id,
    programId: row.program_id,
    user: { id: row.user_id, username: row.username },
    status: row.status,
    deviceModel: row.device_model,
    region: row.region,
    quizScore: row.quiz_score,
    testerNumber: row.tester_number,
    waitlistPosition: row.waitlist_position,
    reason: row.reason,
    appliedAt: row.applied_at.toISOString(),
    decidedAt: iso(row.decided_at),
    decidedBy:
      row.decided_by !== null && row.decided_by_username !== null
        ? { id: row.decided_by, username: row.decided_by_username }
        : null,
    feedbackCount: row.feedback_count,
    lastSeenAt: iso(row.last_seen_at),
    reviewableId: row.reviewable_id,
  };
}
