import {
  BETA_SLUG_PATTERN,
  type BetaMode,
  type BetaProgram,
  type CreateBetaProgramBody,
  type TrustLevel,
  type UpdateBetaProgramBody,
} from '@fanlab/shared';

/**
 * The program editor's fields as typed (strings where the reader types numbers and times), and
 * the conversions to and from the API: a program loads into the form, the form becomes a body,
 * and an edit sends only what changed.
 */

export interface QuestionFields {
  prompt: string;
  choices: string[];
  /** The index of the right choice. */
  correct: number;
}

export interface DeviceFields {
  model: string;
  /** Empty: no quota of its own. */
  quota: string;
}

export interface ProgramFields {
  name: string;
  slug: string;
  categoryId: number | null;
  description: string;
  terms: string;
  seats: string;
  devices: DeviceFields[];
  /** One region a line (or comma separated); empty: any region. */
  regions: string;
  minAccountAgeDays: string;
  minTrustLevel: TrustLevel;
  quiz: { questions: QuestionFields[]; passMark: string } | null;
  mode: BetaMode;
  /** `datetime-local` values (the reader's time zone), empty: no bound. */
  opensAt: string;
  closesAt: string;
  feedbackCategoryId: number | null;
}

/** What a field needs before the form can be sent; each is a key under `beta.editor.invalid.`. */
export type FieldProblem =
  | 'name'
  | 'slug'
  | 'category'
  | 'terms'
  | 'seats'
  | 'devices'
  | 'deviceDuplicate'
  | 'quota'
  | 'regionDuplicate'
  | 'age'
  | 'question'
  | 'choices'
  | 'passMark'
  | 'times';

export const emptyQuestion = (): QuestionFields => ({ prompt: '', choices: ['', ''], correct: 0 });

export const emptyProgram = (): ProgramFields => ({
  name: '',
  slug: '',
  categoryId: null,
  description: '',
  terms: '',
  seats: '100',
  devices: [{ model: '', quota: '' }],
  regions: '',
  minAccountAgeDays: '0',
  minTrustLevel: 0,
  quiz: null,
  mode: 'first_come',
  opensAt: '',
  closesAt: '',
  feedbackCategoryId: null,
});

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` value in this browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an ISO time (UTC), null when empty or not a time. */
export function fromLocalInput(value: string): string | null {
  if (!value.trim()) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `Nova 3, Nova 3 Pro` or one a line → distinct, trimmed, in order. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export function fieldsFromProgram(program: BetaProgram): ProgramFields {
  return {
    name: program.name,
    slug: program.slug,
    categoryId: program.category.id,
    description: program.description,
    terms: program.terms,
    seats: String(program.seats.seats),
    devices: program.devices.map((d) => ({ model: d.model, quota: d.quota === null ? '' : String(d.quota) })),
    regions: program.regions.join('\n'),
    minAccountAgeDays: String(program.minAccountAgeDays),
    minTrustLevel: program.minTrustLevel,
    quiz: program.quiz
      ? {
          questions: program.quiz.questions.map((q) => ({
            prompt: q.prompt,
            choices: [...q.choices],
            correct: q.correct ?? 0,
          })),
          passMark: String(program.quiz.passMark),
        }
      : null,
    mode: program.mode,
    opensAt: toLocalInput(program.opensAt),
    closesAt: toLocalInput(program.closesAt),
    feedbackCategoryId: program.feedbackCategory?.id ?? null,
  };
}

const wholeNumber = (text: string): number | null => (/^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : null);

/** The body to send, or the problems to fix first (each once, in the form's order). */
export function bodyFromFields(
  fields: ProgramFields,
): { ok: true; body: CreateBetaProgramBody } | { ok: false; problems: FieldProblem[] } {
  const problems = new Set<FieldProblem>();
  const name = fields.name.trim();
  if (!name) problems.add('name');
  if (!new RegExp(BETA_SLUG_PATTERN).test(fields.slug)) problems.add('slug');
  if (fields.categoryId === null) problems.add('category');
  const terms = fields.terms.trim();
  if (!terms) problems.add('terms');
  const seats = wholeNumber(fields.seats);
  if (seats === null) problems.add('seats');

  const devices = fields.devices
    .map((d) => ({ model: d.model.trim(), quota: d.quota.trim() }))
    .filter((d) => d.model !== '' || d.quota !== '');
  if (devices.length === 0 || devices.some((d) => d.model === '')) problems.add('devices');
  if (new Set(devices.map((d) => d.model.toLowerCase())).size !== devices.length) problems.add('deviceDuplicate');
  const quotas = devices.map((d) => (d.quota === '' ? null : wholeNumber(d.quota)));
  if (devices.some((d, i) => d.quota !== '' && quotas[i] === null)) problems.add('quota');

  const regions = splitList(fields.regions);
  if (new Set(regions.map((r) => r.toLowerCase())).size !== regions.length) problems.add('regionDuplicate');
  const age = wholeNumber(fields.minAccountAgeDays);
  if (age === null) problems.add('age');

  let quiz: CreateBetaProgramBody['quiz'] = null;
  if (fields.quiz) {
    const questions = fields.quiz.questions.map((q) => ({
      prompt: q.prompt.trim(),
      choices: q.choices.map((c) => c.trim()),
      correct: q.correct,
    }));
    if (questions.length === 0 || questions.some((q) => !q.prompt)) problems.add('question');
    if (questions.some((q) => q.choices.length < 2 || q.choices.some((c) => !c) || !q.choices[q.correct])) {
      problems.add('choices');
    }
    const passMark = wholeNumber(fields.quiz.passMark);
    if (passMark === null || passMark < 1 || passMark > questions.length) problems.add('passMark');
    quiz = { questions, passMark: passMark ?? 1 };
  }

  const opensAt = fromLocalInput(fields.opensAt);
  const closesAt = fromLocalInput(fields.closesAt);
  if ((fields.opensAt && !opensAt) || (fields.closesAt && !closesAt)) problems.add('times');
  if (opensAt && closesAt && opensAt >= closesAt) problems.add('times');

  if (problems.size) return { ok: false, problems: [...problems] };
  return {
    ok: true,
    body: {
      name,
      slug: fields.slug,
      categoryId: fields.categoryId ?? 0,
      description: fields.description.trim(),
      terms,
      seats: seats ?? 0,
      devices: devices.map((d, i) => ({ model: d.model, quota: quotas[i] ?? null })),
      regions,
      minAccountAgeDays: age ?? 0,
      minTrustLevel: fields.minTrustLevel,
      quiz,
      mode: fields.mode,
      opensAt,
      closesAt,
      feedbackCategoryId: fields.feedbackCategoryId,
    },
  };
}

/** Only the fields of `after` that differ from `before` (an edit sends what the manager changed). */
export function changedFields(before: CreateBetaProgramBody, after: CreateBetaProgramBody): UpdateBetaProgramBody {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CreateBetaProgramBody)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes as UpdateBetaProgramBody;
}
