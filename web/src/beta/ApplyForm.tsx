import type { BetaApplyResponse, BetaProgram, BetaRuleFailure } from '@fanlab/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { failedRules } from './eligibility';
import { useApply } from './mutations';

/** Each rule an application failed, in words (the server's own message for a rule we do not know). */
export function NotEligible({ program, failures }: { program: BetaProgram; failures: BetaRuleFailure[] }) {
  const { t } = useTranslation();
  return (
    <div className="beta-not-eligible" role="alert" data-testid="not-eligible">
      <p>
        <strong>{t('beta.apply.notEligible')}</strong>
      </p>
      <ul>
        {failures.map((failure) => (
          <li key={failure.rule} data-testid="failed-rule" data-rule={failure.rule}>
            {t(`beta.rules.${failure.rule}`, {
              level: program.minTrustLevel,
              name: t(`trust.levels.${program.minTrustLevel}`),
              count: program.minAccountAgeDays,
              passMark: program.quiz?.passMark ?? 0,
              devices: program.devices.map((d) => d.model).join(', '),
              regions: program.regions.join(', '),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Device, region, the quiz and consent to the terms; the answer goes to `onApplied`. */
export function ApplyForm({
  program,
  onApplied,
}: {
  program: BetaProgram;
  onApplied: (answer: BetaApplyResponse) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const apply = useApply(program);
  const single = program.devices.length === 1 ? (program.devices[0]?.model ?? '') : '';
  const [device, setDevice] = useState(single);
  const [region, setRegion] = useState(program.regions.length === 1 ? (program.regions[0] ?? '') : '');
  const questions = program.quiz?.questions ?? [];
  const [answers, setAnswers] = useState<(number | null)[]>(() => questions.map(() => null));
  const [consent, setConsent] = useState(false);
  const answered = answers.every((a) => a !== null);
  const ready = device !== '' && region.trim() !== '' && answered && consent && !apply.isPending;
  const failures = failedRules(apply.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    apply.mutate(
      {
        deviceModel: device,
        region: region.trim(),
        ...(questions.length ? { quizAnswers: answers.map((a) => a ?? 0) } : {}),
        consent,
      },
      { onSuccess: onApplied },
    );
  };

  return (
    <form className="beta-apply card form" data-testid="apply-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('beta.apply.heading')}</h2>
      <div className="field">
        <label htmlFor={`${id}-device`}>{t('beta.apply.device')}</label>
        <select
          id={`${id}-device`}
          name="deviceModel"
          data-testid="apply-device"
          value={device}
          onChange={(e) => setDevice(e.target.value)}
        >
          <option value="">{t('beta.apply.chooseDevice')}</option>
          {program.devices.map((d) => (
            <option key={d.model} value={d.model}>
              {d.model}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-region`}>{t('beta.apply.region')}</label>
        {program.regions.length ? (
          <select
            id={`${id}-region`}
            name="region"
            data-testid="apply-region"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
          >
            <option value="">{t('beta.apply.chooseRegion')}</option>
            {program.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <input
            type="text"
            id={`${id}-region`}
            name="region"
            data-testid="apply-region"
            value={region}
            maxLength={40}
            onChange={(e) => setRegion(e.target.value)}
          />
        )}
      </div>
      {questions.length ? (
        <div className="beta-quiz" data-testid="apply-quiz">
          <h3>{t('beta.apply.quiz', { passMark: program.quiz?.passMark ?? 0, count: questions.length })}</h3>
          {questions.map((question, q) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: answers are by position: the position is the question's identity
            <fieldset key={q} className="beta-question" data-testid="quiz-question">
              <legend>
                {q + 1}. {question.prompt}
              </legend>
              {question.choices.map((choice, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: an answer is the choice's position
                <label key={c} className="checkbox">
                  <input
                    type="radio"
                    name={`${id}-q${q}`}
                    value={c}
                    data-testid="quiz-choice"
                    checked={answers[q] === c}
                    onChange={() => setAnswers((all) => all.map((a, i) => (i === q ? c : a)))}
                  />
                  {choice}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      ) : null}
      <div className="beta-terms">
        <h3>{t('beta.apply.terms')}</h3>
        <p className="beta-terms-text" data-testid="apply-terms">
          {program.terms}
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            name="consent"
            data-testid="apply-consent"
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
          />
          {t('beta.apply.consent')}
        </label>
      </div>
      {failures ? <NotEligible program={program} failures={failures} /> : null}
      <FormError message={apply.error && !failures ? errorMessage(t, apply.error) : null} />
      <p className="actions">
        <button type="submit" className="button" data-testid="apply-submit" disabled={!ready}>
          {apply.isPending ? t('beta.apply.sending') : t('beta.apply.submit')}
        </button>
        {!ready && !apply.isPending ? <span className="field-hint">{t('beta.apply.complete')}</span> : null}
      </p>
    </form>
  );
}
