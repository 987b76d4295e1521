import { type Static, Type } from 'typebox';
import { TIME_PATTERN } from './audit';
import { UserRef } from './forum';
import { Id } from './ids';
import { TrustLevelSchema } from './trust';

/**
 * Beta programs (issue 10): product managers open a program with seats; members apply and are
 * accepted (with a tester number), waitlisted (with a position), left pending review, or told
 * which rules they fail. The model, the rules and the concurrency argument: docs/beta.md.
 */

export const betaModes = ['first_come', 'reviewed'] as const;
export type BetaMode = (typeof betaModes)[number];
export const BetaMode = Type.Unsafe<BetaMode>(Type.String({ enum: [...betaModes] }));

/**
 * draft (only managers see it) → open → closed → archived; closed may open again, archived is
 * final. Applications are taken while the state is `open` and now is within [opensAt, closesAt)
 * (either bound may be null: no bound).
 */
export const betaProgramStates = ['draft', 'open', 'closed', 'archived'] as const;
export type BetaProgramState = (typeof betaProgramStates)[number];
export const BetaProgramState = Type.Unsafe<BetaProgramState>(Type.String({ enum: [...betaProgramStates] }));

/** Why a program takes no applications right now (null on the program: it does). */
export const betaClosedReasons = ['draft', 'not_open_yet', 'closed', 'archived'] as const;
export type BetaClosedReason = (typeof betaClosedReasons)[number];
export const BetaClosedReason = Type.Unsafe<BetaClosedReason>(Type.String({ enum: [...betaClosedReasons] }));

/**
 * pending: waits for review (reviewed mode); accepted: a tester (has a tester number);
 * waitlisted: waits for a seat (has a position); rejected, withdrawn (by the applicant),
 * removed (a tester a manager took out). One application per member per program, ever.
 */
export const betaApplicationStatuses = [
  'pending',
  'accepted',
  'waitlisted',
  'rejected',
  'withdrawn',
  'removed',
] as const;
export type BetaApplicationStatus = (typeof betaApplicationStatuses)[number];
export const BetaApplicationStatus = Type.Unsafe<BetaApplicationStatus>(
  Type.String({ enum: [...betaApplicationStatuses] }),
);

/**
 * The eligibility rules an application can fail; a 422 `beta_not_eligible` lists every one that
 * failed in `error.details.failed` (each `{ rule, message }`), and nothing is written.
 */
export const betaRules = [
  /** The program is a draft (only managers see drafts). */
  'draft',
  /** Before opensAt. */
  'not_open_yet',
  /** After closesAt, or the program is closed or archived. */
  'closed',
  /** The device model is not one of the program's. */
  'device',
  /** The region is not one of the program's. */
  'region',
  /** The account is younger than minAccountAgeDays. */
  'account_age',
  /** The member's trust level is below minTrustLevel. */
  'trust_level',
  /** Fewer correct quiz answers than the pass mark. */
  'quiz',
] as const;
export type BetaRule = (typeof betaRules)[number];
export const BetaRule = Type.Unsafe<BetaRule>(Type.String({ enum: [...betaRules] }));

export const BetaRuleFailure = Type.Object({ rule: BetaRule, message: Type.String() });
export type BetaRuleFailure = Static<typeof BetaRuleFailure>;
/** `error.details` of a 422 `beta_not_eligible`. */
export type BetaNotEligibleDetails = { failed: BetaRuleFailure[] };

export const BETA_NAME_MAX = 120;
export const BETA_SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,59}$';
export const BETA_DESCRIPTION_MAX = 20_000;
export const BETA_TERMS_MAX = 20_000;
export const BETA_MODEL_MAX = 80;
export const BETA_MODELS_MAX = 50;
export const BETA_REGION_MAX = 40;
export const BETA_REGIONS_MAX = 100;
export const BETA_QUESTIONS_MAX = 20;
export const BETA_CHOICES_MAX = 10;
export const BETA_REASON_MAX = 500;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
/** ISO 8601 date and time with its offset (or a date: UTC midnight). */
const Time = Type.String({ pattern: TIME_PATTERN, maxLength: 40 });

/** A device model the program takes; `quota`: at most this many testers on it (null: only the total). */
export const BetaDeviceInput = Type.Object(
  {
    model: Text(BETA_MODEL_MAX),
    quota: Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()]),
  },
  { additionalProperties: false },
);

/** `correct`: the index in `choices` of the right answer. */
export const BetaQuestionInput = Type.Object(
  {
    prompt: Text(500),
    choices: Type.Array(Text(200), { minItems: 2, maxItems: BETA_CHOICES_MAX }),
    correct: Type.Integer({ minimum: 0, maximum: BETA_CHOICES_MAX - 1 }),
  },
  { additionalProperties: false },
);

/** `passMark`: how many questions must be answered right (1..questions). */
export const BetaQuizInput = Type.Object(
  {
    questions: Type.Array(BetaQuestionInput, { minItems: 1, maxItems: BETA_QUESTIONS_MAX }),
    passMark: Type.Integer({ minimum: 1, maximum: BETA_QUESTIONS_MAX }),
  },
  { additionalProperties: false },
);
export type BetaQuizInput = Static<typeof BetaQuizInput>;

const programFields = {
  name: Text(BETA_NAME_MAX),
  slug: Type.String({ pattern: BETA_SLUG_PATTERN }),
  /** The product category (a forum category) the program is about. */
  categoryId: Id,
  /** Markdown. */
  description: Type.String({ maxLength: BETA_DESCRIPTION_MAX }),
  /** Plain text the applicant consents to. */
  terms: Text(BETA_TERMS_MAX),
  /** Seats in all. */
  seats: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  /** Eligible device models (distinct), each with an optional quota. */
  devices: Type.Array(BetaDeviceInput, { minItems: 1, maxItems: BETA_MODELS_MAX }),
  /** Eligible regions (distinct); empty: any region. */
  regions: Type.Array(Text(BETA_REGION_MAX), { maxItems: BETA_REGIONS_MAX }),
  minAccountAgeDays: Type.Integer({ minimum: 0, maximum: 36_500 }),
  minTrustLevel: TrustLevelSchema,
  quiz: Type.Union([BetaQuizInput, Type.Null()]),
  mode: BetaMode,
  opensAt: Type.Union([Time, Type.Null()]),
  closesAt: Type.Union([Time, Type.Null()]),
  /** Where testers post feedback (a forum category); null: none yet. */
  feedbackCategoryId: Type.Union([Id, Type.Null()]),
};

/** POST /api/beta/programs: a new program is a draft. */
export const CreateBetaProgramBody = Type.Object(programFields, { additionalProperties: false });
export type CreateBetaProgramBody = Static<typeof CreateBetaProgramBody>;

/**
 * PATCH /api/beta/programs/:id: any of the fields, and the state. Seats (or a model's quota)
 * below the testers already accepted: 409 `beta_seats_below_accepted`; a device model with
 * applications cannot be removed (409 `beta_model_in_use`); a state change the life cycle does not
 * allow: 409 `beta_invalid_transition`.
 */
export const UpdateBetaProgramBody = Type.Partial(
  Type.Object({ ...programFields, state: BetaProgramState }, { additionalProperties: false }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateBetaProgramBody = Static<typeof UpdateBetaProgramBody>;

export const BetaCategoryRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

/** A device model with its seats: `seatsLeft` counts both its quota and the program's total. */
export const BetaDevice = Type.Object({
  model: Type.String(),
  quota: Type.Union([Type.Integer(), Type.Null()]),
  accepted: Type.Integer(),
  seatsLeft: Type.Integer(),
});
export type BetaDevice = Static<typeof BetaDevice>;

/** `correct` is null unless the reader manages the program. */
export const BetaQuestion = Type.Object({
  prompt: Type.String(),
  choices: Type.Array(Type.String()),
  correct: Type.Union([Type.Integer(), Type.Null()]),
});
export const BetaQuiz = Type.Object({ questions: Type.Array(BetaQuestion), passMark: Type.Integer() });
export type BetaQuiz = Static<typeof BetaQuiz>;

/** What the `beta:<id>` channel sends (event `seats`, cursor `version`) and the program carries. */
export const BetaSeats = Type.Object({
  seats: Type.Integer(),
  accepted: Type.Integer(),
  seatsLeft: Type.Integer(),
  waitlistLength: Type.Integer(),
  /** Per device model. */
  devices: Type.Array(Type.Object({ model: Type.String(), seatsLeft: Type.Integer() })),
  /** Monotonic per program: the channel's cursor. */
  version: Type.Integer(),
});
export type BetaSeats = Static<typeof BetaSeats>;

/** What the applicant and the program's managers both see of an application. */
const applicationFields = {
  status: BetaApplicationStatus,
  deviceModel: Type.String(),
  region: Type.String(),
  /** Correct answers (null: the program has no quiz). */
  quizScore: Type.Union([Type.Integer(), Type.Null()]),
  /** Kept once given, even after withdrawal or removal: numbers are never reused. */
  testerNumber: Type.Union([Type.Integer(), Type.Null()]),
  /** 1..N among those still waitlisted (null unless waitlisted). */
  waitlistPosition: Type.Union([Type.Integer(), Type.Null()]),
  /** The manager's reason for the last decision (null: none, or decided by the seats). */
  reason: Type.Union([Type.String(), Type.Null()]),
  appliedAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
};

/** An application as its applicant sees it. */
export const MyBetaApplication = Type.Object({
  id: Type.Integer(),
  program: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }),
  ...applicationFields,
  /** The applicant may withdraw (pending, accepted or waitlisted). */
  canWithdraw: Type.Boolean(),
});
export type MyBetaApplication = Static<typeof MyBetaApplication>;

/** A program in the list. */
export const BetaProgramSummary = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  category: BetaCategoryRef,
  mode: BetaMode,
  state: BetaProgramState,
  opensAt: Type.Union([Type.String(), Type.Null()]),
  closesAt: Type.Union([Type.String(), Type.Null()]),
  /** Applications are taken now (state open, within the times). */
  accepting: Type.Boolean(),
  closedReason: Type.Union([BetaClosedReason, Type.Null()]),
  seats: BetaSeats,
  /** The reader's application's status, if they applied. */
  myStatus: Type.Union([BetaApplicationStatus, Type.Null()]),
  createdAt: Type.String(),
});
export type BetaProgramSummary = Static<typeof BetaProgramSummary>;

/** GET /api/beta/programs: drafts only for managers; newest first. */
export const BetaProgramListQuery = Type.Object(
  {
    state: Type.Optional(BetaProgramState),
    category: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
);
export type BetaProgramListQuery = Static<typeof BetaProgramListQuery>;

export const BetaProgramList = Type.Object({
  items: Type.Array(BetaProgramSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  /** The reader may create programs (product managers and admins). */
  canCreate: Type.Boolean(),
});
export type BetaProgramList = Static<typeof BetaProgramList>;

/** One program (GET /api/beta/programs/:id or /api/beta/programs/by-slug/:slug). */
export const BetaProgram = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  category: BetaCategoryRef,
  /** Markdown source (for the editor) and its rendered HTML. */
  description: Type.String(),
  descriptionCooked: Type.String(),
  terms: Type.String(),
  devices: Type.Array(BetaDevice),
  regions: Type.Array(Type.String()),
  minAccountAgeDays: Type.Integer(),
  minTrustLevel: TrustLevelSchema,
  quiz: Type.Union([BetaQuiz, Type.Null()]),
  mode: BetaMode,
  state: BetaProgramState,
  opensAt: Type.Union([Type.String(), Type.Null()]),
  closesAt: Type.Union([Type.String(), Type.Null()]),
  accepting: Type.Boolean(),
  closedReason: Type.Union([BetaClosedReason, Type.Null()]),
  feedbackCategory: Type.Union([BetaCategoryRef, Type.Null()]),
  seats: BetaSeats,
  /** Tester numbers given so far (the next tester is this + 1). */
  testersNumbered: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  myApplication: Type.Union([MyBetaApplication, Type.Null()]),
  /** The reader may apply now (signed in, may speak, not applied, the program accepting). */
  canApply: Type.Boolean(),
  /** The reader may edit the program, see its applications and decide them. */
  canManage: Type.Boolean(),
});
export type BetaProgram = Static<typeof BetaProgram>;

export const BetaSlugParams = Type.Object({ slug: Type.String({ pattern: BETA_SLUG_PATTERN }) });

/**
 * POST /api/beta/programs/:id/applications. `quizAnswers`: one choice index per question, in
 * order (omit or [] when the program has no quiz); missing or extra answers, or an index past a
 * question's choices: 400 `beta_quiz_answers`. `consent` must be true (400 `beta_consent_required`).
 */
export const BetaApplyBody = Type.Object(
  {
    deviceModel: Text(BETA_MODEL_MAX),
    region: Text(BETA_REGION_MAX),
    quizAnswers: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: BETA_CHOICES_MAX - 1 }), { maxItems: BETA_QUESTIONS_MAX + 1 }),
    ),
    consent: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type BetaApplyBody = Static<typeof BetaApplyBody>;

/** 201 to an application: what happened to it, at once. */
export const BetaApplyResponse = Type.Object({
  outcome: Type.Union([Type.Literal('accepted'), Type.Literal('waitlisted'), Type.Literal('pending')]),
  application: MyBetaApplication,
});
export type BetaApplyResponse = Static<typeof BetaApplyResponse>;

/** An application in the program's table, for its managers; with the tester's activity. */
export const BetaApplication = Type.Object({
  id: Type.Integer(),
  programId: Type.Integer(),
  user: UserRef,
  ...applicationFields,
  decidedBy: Type.Union([UserRef, Type.Null()]),
  /** Their posts (threads and replies, not deleted) in the program's feedback category. */
  feedbackCount: Type.Integer(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  /** The review item of a reviewed-mode application (null: none). */
  reviewableId: Type.Union([Type.Integer(), Type.Null()]),
});
export type BetaApplication = Static<typeof BetaApplication>;

/** GET /api/beta/programs/:id/applications: oldest first (application order), keyset-paged. */
export const BetaApplicationListQuery = Type.Object(
  {
    status: Type.Optional(BetaApplicationStatus),
    device: Type.Optional(Text(BETA_MODEL_MAX)),
    region: Type.Optional(Text(BETA_REGION_MAX)),
    minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: BETA_QUESTIONS_MAX })),
    maxScore: Type.Optional(Type.Integer({ minimum: 0, maximum: BETA_QUESTIONS_MAX })),
    /** Applied at or after (ISO 8601 date-time). */
    appliedFrom: Type.Optional(Time),
    /** Applied before. */
    appliedTo: Type.Optional(Time),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export type BetaApplicationListQuery = Static<typeof BetaApplicationListQuery>;

export const BetaApplicationPage = Type.Object({
  items: Type.Array(BetaApplication),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type BetaApplicationPage = Static<typeof BetaApplicationPage>;

/**
 * A manager's decision, with a reason the applicant sees:
 * - accept: pending, waitlisted or rejected → accepted (no seat for it: 409 `beta_no_seats`);
 * - reject: pending or waitlisted → rejected;
 * - waitlist: pending or rejected → waitlisted (at the end);
 * - remove: accepted → removed (the seat goes to the first waitlisted applicant it fits).
 * Any other: 409 `beta_invalid_transition`.
 */
export const betaDecisions = ['accept', 'reject', 'waitlist', 'remove'] as const;
export type BetaDecision = (typeof betaDecisions)[number];
export const BetaDecision = Type.Unsafe<BetaDecision>(Type.String({ enum: [...betaDecisions] }));

export const BetaDecisionBody = Type.Object(
  { action: BetaDecision, reason: Text(BETA_REASON_MAX) },
  { additionalProperties: false },
);
export type BetaDecisionBody = Static<typeof BetaDecisionBody>;

/** `beta:<programId>`: anyone who may see the program. `seats`: BetaSeats (cursor: its version). */
export const BetaChannelEvents = { seats: 'seats' } as const;

/** The CSV export's columns, in order (GET /api/beta/programs/:id/testers.csv). */
export const BETA_CSV_COLUMNS = [
  'tester_number',
  'username',
  'device',
  'region',
  'quiz_score',
  'status',
  'applied_at',
  'decided_at',
  'feedback_count',
] as const;
