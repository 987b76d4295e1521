import type { BetaClosedReason, BetaQuizInput, BetaRuleFailure, TrustLevel } from '@fanlab/shared';
import type { BetaProgramRow } from '../db/schema';

const DAY_MS = 86_400_000;

type Times = Pick<BetaProgramRow, 'state' | 'opens_at' | 'closes_at'>;

/**
 * How state and times combine: a program takes applications when its state is `open` and now is
 * within [opens_at, closes_at) (a null bound is no bound). So a manager may open a program ahead
 * of its opening time (it shows, and counts down) and it stops taking applications at its closing
 * time without anyone closing it. Null: it takes them.
 */
export function closedReason(program: Times, now: Date): BetaClosedReason | null {
  if (program.state === 'draft') return 'draft';
  if (program.state === 'archived') return 'archived';
  if (program.state === 'closed') return 'closed';
  if (program.opens_at && now < program.opens_at) return 'not_open_yet';
  if (program.closes_at && now >= program.closes_at) return 'closed';
  return null;
}

/**
 * The quiz score (correct answers), or why the answers are not answers: missing or extra ones,
 * or a choice the question does not have (a 400, not a failed rule). Null: the program has no quiz.
 */
export function scoreQuiz(
  quiz: BetaQuizInput | null,
  answers: readonly number[] | undefined,
): { score: number | null } | { invalid: string } {
  const given = answers ?? [];
  if (quiz === null) {
    return given.length ? { invalid: 'This program has no quiz: send no answers.' } : { score: null };
  }
  if (given.length !== quiz.questions.length) {
    return {
      invalid: `The quiz has ${quiz.questions.length} questions: send exactly one answer for each (you sent ${given.length}).`,
    };
  }
  let score = 0;
  for (const [i, question] of quiz.questions.entries()) {
    const answer = given[i] as number;
    if (answer >= question.choices.length) {
      return { invalid: `Question ${i + 1} has ${question.choices.length} choices: answer ${answer} is not one.` };
    }
    if (answer === question.correct) score += 1;
  }
  return { score };
}

export interface Applicant {
  created_at: Date;
  trust_level: TrustLevel;
}

/**
 * Every eligibility rule the application fails (empty: eligible). Each is named, so the applicant
 * learns everything at once rather than one refusal at a time.
 */
export function eligibilityFailures(
  program: Pick<
    BetaProgramRow,
    'state' | 'opens_at' | 'closes_at' | 'regions' | 'min_account_age_days' | 'min_trust_level' | 'quiz'
  >,
  models: readonly string[],
  applicant: Applicant,
  input: { deviceModel: string; region: string; score: number | null },
  now: Date,
): BetaRuleFailure[] {
  const failed: BetaRuleFailure[] = [];
  const closed = closedReason(program, now);
  if (closed === 'draft')
    failed.push({ rule: 'draft', message: 'The program is a draft: it takes no applications yet.' });
  else if (closed === 'not_open_yet') {
    failed.push({ rule: 'not_open_yet', message: `Applications open at ${program.opens_at?.toISOString()}.` });
  } else if (closed !== null) failed.push({ rule: 'closed', message: 'The program takes no more applications.' });
  if (!models.includes(input.deviceModel)) {
    failed.push({ rule: 'device', message: `The device model must be one of: ${models.join(', ')}.` });
  }
  if (program.regions.length && !program.regions.includes(input.region)) {
    failed.push({ rule: 'region', message: `The region must be one of: ${program.regions.join(', ')}.` });
  }
  const ageDays = Math.floor((now.getTime() - applicant.created_at.getTime()) / DAY_MS);
  if (ageDays < program.min_account_age_days) {
    failed.push({
      rule: 'account_age',
      message: `Accounts must be at least ${program.min_account_age_days} days old (yours is ${ageDays}).`,
    });
  }
  if (applicant.trust_level < program.min_trust_level) {
    failed.push({
      rule: 'trust_level',
      message: `Trust level ${program.min_trust_level} or more is needed (yours is ${applicant.trust_level}).`,
    });
  }
  if (program.quiz && input.score !== null && input.score < program.quiz.passMark) {
    failed.push({
      rule: 'quiz',
      message: `${program.quiz.passMark} correct answers are needed to pass the quiz (you had ${input.score}).`,
    });
  }
  return failed;
}
