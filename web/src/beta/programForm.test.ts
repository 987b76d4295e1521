import type { BetaProgram } from '@fanlab/shared';
import { describe, expect, it } from 'vitest';
import {
  bodyFromFields,
  changedFields,
  emptyProgram,
  emptyQuestion,
  fieldsFromProgram,
  fromLocalInput,
  type ProgramFields,
  splitList,
  toLocalInput,
} from './programForm';

const filled = (change: Partial<ProgramFields> = {}): ProgramFields => ({
  ...emptyProgram(),
  name: ' Nova OS 5 beta ',
  slug: 'nova-os-5',
  categoryId: 3,
  terms: 'Keep builds to yourself.',
  seats: '50',
  devices: [
    { model: 'Nova 3', quota: '' },
    { model: ' Nova 3 Pro ', quota: '10' },
    { model: '', quota: '' },
  ],
  regions: 'ES, MX\nAR',
  ...change,
});

describe('the program editor', () => {
  it('turns typed fields into the API body: trimmed, numbers parsed, empty rows dropped', () => {
    const result = bodyFromFields(filled());
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Nova OS 5 beta',
        slug: 'nova-os-5',
        categoryId: 3,
        description: '',
        terms: 'Keep builds to yourself.',
        seats: 50,
        devices: [
          { model: 'Nova 3', quota: null },
          { model: 'Nova 3 Pro', quota: 10 },
        ],
        regions: ['ES', 'MX', 'AR'],
        minAccountAgeDays: 0,
        minTrustLevel: 0,
        quiz: null,
        mode: 'first_come',
        opensAt: null,
        closesAt: null,
        feedbackCategoryId: null,
      },
    });
  });

  it('names every problem before anything is sent', () => {
    const result = bodyFromFields({
      ...emptyProgram(),
      slug: 'Bad Slug',
      seats: '-1',
      devices: [
        { model: 'Nova', quota: 'x' },
        { model: 'nova', quota: '' },
      ],
      regions: 'ES, es',
      minAccountAgeDays: '',
      opensAt: '2030-05-02T10:00',
      closesAt: '2030-05-01T10:00',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'name',
        'slug',
        'category',
        'terms',
        'seats',
        'deviceDuplicate',
        'quota',
        'regionDuplicate',
        'age',
        'times',
      ],
    });
    expect(bodyFromFields(filled({ devices: [{ model: '', quota: '5' }] }))).toEqual({
      ok: false,
      problems: ['devices'],
    });
    expect(bodyFromFields(filled({ devices: [] }))).toEqual({ ok: false, problems: ['devices'] });
  });

  it('checks the quiz: prompts, at least two filled choices, a right answer, a pass mark within the questions', () => {
    const question = { prompt: 'Which build is the beta?', choices: ['4.3.7', '4.3.6'], correct: 0 };
    const ok = bodyFromFields(filled({ quiz: { questions: [question, { ...question, correct: 1 }], passMark: '2' } }));
    expect(ok.ok && ok.body.quiz).toEqual({ questions: [question, { ...question, correct: 1 }], passMark: 2 });

    expect(bodyFromFields(filled({ quiz: { questions: [question], passMark: '2' } }))).toEqual({
      ok: false,
      problems: ['passMark'],
    });
    expect(bodyFromFields(filled({ quiz: { questions: [question], passMark: '0' } }))).toEqual({
      ok: false,
      problems: ['passMark'],
    });
    expect(bodyFromFields(filled({ quiz: { questions: [emptyQuestion()], passMark: '1' } }))).toEqual({
      ok: false,
      problems: ['question', 'choices'],
    });
    expect(bodyFromFields(filled({ quiz: { questions: [], passMark: '1' } }))).toEqual({
      ok: false,
      problems: ['question', 'passMark'],
    });
    // the right answer must be one of the choices there are
    expect(bodyFromFields(filled({ quiz: { questions: [{ ...question, correct: 2 }], passMark: '1' } }))).toEqual({
      ok: false,
      problems: ['choices'],
    });
  });

  it('round-trips a loaded program, and an edit sends only what changed', () => {
    const program = {
      name: 'Nova OS 5 beta',
      slug: 'nova-os-5',
      category: { id: 3, slug: 'phones', name: 'Phones' },
      description: 'Try **it**',
      terms: 'Keep builds to yourself.',
      devices: [
        { model: 'Nova 3', quota: null, accepted: 4, seatsLeft: 10 },
        { model: 'Nova 3 Pro', quota: 10, accepted: 2, seatsLeft: 8 },
      ],
      regions: ['ES', 'MX'],
      minAccountAgeDays: 30,
      minTrustLevel: 2,
      quiz: { questions: [{ prompt: 'Q?', choices: ['a', 'b'], correct: 1 }], passMark: 1 },
      mode: 'reviewed',
      opensAt: '2030-05-01T08:00:00.000Z',
      closesAt: null,
      feedbackCategory: { id: 9, slug: 'nova-feedback', name: 'Feedback' },
      seats: { seats: 20, accepted: 6, seatsLeft: 14, waitlistLength: 0, devices: [], version: 3 },
    } as unknown as BetaProgram;
    const fields = fieldsFromProgram(program);
    const before = bodyFromFields(fields);
    expect(before.ok).toBe(true);
    if (!before.ok) return;
    expect(before.body).toMatchObject({
      seats: 20,
      regions: ['ES', 'MX'],
      minTrustLevel: 2,
      opensAt: '2030-05-01T08:00:00.000Z',
      feedbackCategoryId: 9,
      quiz: { questions: [{ prompt: 'Q?', choices: ['a', 'b'], correct: 1 }], passMark: 1 },
    });
    expect(changedFields(before.body, before.body)).toEqual({});

    const after = bodyFromFields({ ...fields, seats: '25', regions: 'ES\nMX\nAR' });
    expect(after.ok && changedFields(before.body, after.body)).toEqual({ seats: 25, regions: ['ES', 'MX', 'AR'] });
  });

  it('converts times between the browser’s local input and ISO', () => {
    const iso = '2030-05-01T08:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('not a time')).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('soon')).toBeNull();
    expect(splitList(' a,\n\nb , ')).toEqual(['a', 'b']);
  });
});
