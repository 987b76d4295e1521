import {
  BETA_DESCRIPTION_MAX,
  BETA_MODELS_MAX,
  BETA_NAME_MAX,
  BETA_TERMS_MAX,
  type BetaMode,
  betaModes,
  type CreateBetaProgramBody,
  type TrustLevel,
  trustLevels,
} from '@fanlab/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { slugOf } from '../admin/CategoryForm';
import { FormError } from '../components/FormError';
import { useCategories } from '../forum/useCategories';
import { errorMessage } from '../i18n/errorMessage';
import { bodyFromFields, emptyQuestion, type FieldProblem, type ProgramFields } from './programForm';
import { QuizEditor } from './QuizEditor';

interface Props {
  initial: ProgramFields;
  /** Editing an existing program: its slug is not rewritten from the name. */
  editing: boolean;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (body: CreateBetaProgramBody) => void;
}

/** Every field of a program: name, category, texts, seats and devices, rules, quiz, mode, times. */
export function ProgramEditor({ initial, editing, pending, error, submitLabel, onSubmit }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const categories = useCategories().data ?? [];
  const [fields, setFields] = useState(initial);
  const [slugEdited, setSlugEdited] = useState(editing);
  // once the manager has tried to save, the problems follow what they type
  const [tried, setTried] = useState(false);
  const checked = bodyFromFields(fields);
  const problems: FieldProblem[] = tried && !checked.ok ? checked.problems : [];
  const set = <K extends keyof ProgramFields>(key: K, value: ProgramFields[K]) =>
    setFields((all) => ({ ...all, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (checked.ok) onSubmit(checked.body);
  };

  return (
    <form className="beta-editor card form" data-testid="program-editor" onSubmit={submit} noValidate>
      <div className="beta-editor-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('beta.editor.name')}</label>
          <input
            type="text"
            id={`${id}-name`}
            name="name"
            maxLength={BETA_NAME_MAX}
            value={fields.name}
            onChange={(e) => {
              const name = e.target.value;
              setFields((all) => ({ ...all, name, slug: slugEdited ? all.slug : slugOf(name) }));
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-slug`}>{t('beta.editor.slug')}</label>
          <input
            type="text"
            id={`${id}-slug`}
            name="slug"
            maxLength={60}
            value={fields.slug}
            onChange={(e) => {
              setSlugEdited(true);
              set('slug', e.target.value);
            }}
          />
        </div>
      </div>
      <div className="beta-editor-row">
        <div className="field">
          <label htmlFor={`${id}-category`}>{t('beta.editor.category')}</label>
          <select
            id={`${id}-category`}
            name="categoryId"
            value={fields.categoryId ?? ''}
            onChange={(e) => set('categoryId', e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t('beta.editor.chooseCategory')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-feedback`}>{t('beta.editor.feedbackCategory')}</label>
          <select
            id={`${id}-feedback`}
            name="feedbackCategoryId"
            value={fields.feedbackCategoryId ?? ''}
            onChange={(e) => set('feedbackCategoryId', e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t('beta.editor.noFeedbackCategory')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t('beta.editor.description')}</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={6}
          maxLength={BETA_DESCRIPTION_MAX}
          value={fields.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <p className="field-hint">{t('beta.editor.markdown')}</p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-terms`}>{t('beta.editor.terms')}</label>
        <textarea
          id={`${id}-terms`}
          name="terms"
          rows={4}
          maxLength={BETA_TERMS_MAX}
          value={fields.terms}
          onChange={(e) => set('terms', e.target.value)}
        />
      </div>

      <fieldset className="beta-editor-group">
        <legend>{t('beta.editor.seatsGroup')}</legend>
        <div className="field beta-editor-narrow">
          <label htmlFor={`${id}-seats`}>{t('beta.editor.seats')}</label>
          <input
            id={`${id}-seats`}
            name="seats"
            type="number"
            min={0}
            value={fields.seats}
            onChange={(e) => set('seats', e.target.value)}
          />
        </div>
        <p className="field-hint">{t('beta.editor.devicesHint')}</p>
        {fields.devices.map((device, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
          <div key={i} className="beta-device-row" data-testid="device-row">
            <input
              type="text"
              aria-label={t('beta.editor.model', { number: i + 1 })}
              name="deviceModel"
              maxLength={80}
              value={device.model}
              placeholder={t('beta.editor.modelPlaceholder')}
              onChange={(e) =>
                set(
                  'devices',
                  fields.devices.map((d, j) => (j === i ? { ...d, model: e.target.value } : d)),
                )
              }
            />
            <input
              aria-label={t('beta.editor.quota', { number: i + 1 })}
              name="deviceQuota"
              type="number"
              min={0}
              value={device.quota}
              placeholder={t('beta.editor.quotaPlaceholder')}
              onChange={(e) =>
                set(
                  'devices',
                  fields.devices.map((d, j) => (j === i ? { ...d, quota: e.target.value } : d)),
                )
              }
            />
            {fields.devices.length > 1 ? (
              <button
                type="button"
                className="link-button link-button-danger"
                onClick={() =>
                  set(
                    'devices',
                    fields.devices.filter((_, j) => j !== i),
                  )
                }
              >
                {t('beta.editor.removeDevice')}
              </button>
            ) : null}
          </div>
        ))}
        {fields.devices.length < BETA_MODELS_MAX ? (
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="add-device"
            onClick={() => set('devices', [...fields.devices, { model: '', quota: '' }])}
          >
            {t('beta.editor.addDevice')}
          </button>
        ) : null}
      </fieldset>

      <fieldset className="beta-editor-group">
        <legend>{t('beta.editor.rulesGroup')}</legend>
        <div className="field">
          <label htmlFor={`${id}-regions`}>{t('beta.editor.regions')}</label>
          <textarea
            id={`${id}-regions`}
            name="regions"
            rows={2}
            value={fields.regions}
            onChange={(e) => set('regions', e.target.value)}
          />
          <p className="field-hint">{t('beta.editor.regionsHint')}</p>
        </div>
        <div className="beta-editor-row">
          <div className="field">
            <label htmlFor={`${id}-trust`}>{t('beta.editor.minTrustLevel')}</label>
            <select
              id={`${id}-trust`}
              name="minTrustLevel"
              value={fields.minTrustLevel}
              onChange={(e) => set('minTrustLevel', Number(e.target.value) as TrustLevel)}
            >
              {trustLevels.map((level) => (
                <option key={level} value={level}>
                  {t('beta.editor.trustOption', { level, name: t(`trust.levels.${level}`) })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-age`}>{t('beta.editor.minAccountAgeDays')}</label>
            <input
              id={`${id}-age`}
              name="minAccountAgeDays"
              type="number"
              min={0}
              value={fields.minAccountAgeDays}
              onChange={(e) => set('minAccountAgeDays', e.target.value)}
            />
          </div>
        </div>
        <fieldset className="beta-editor-modes">
          <legend>{t('beta.editor.mode')}</legend>
          {betaModes.map((mode: BetaMode) => (
            <label key={mode} className="checkbox">
              <input
                type="radio"
                name="mode"
                value={mode}
                checked={fields.mode === mode}
                onChange={() => set('mode', mode)}
              />
              {t(`beta.modeHelp.${mode}`)}
            </label>
          ))}
        </fieldset>
        <div className="beta-editor-row">
          <div className="field">
            <label htmlFor={`${id}-opens`}>{t('beta.editor.opensAt')}</label>
            <input
              id={`${id}-opens`}
              name="opensAt"
              type="datetime-local"
              value={fields.opensAt}
              onChange={(e) => set('opensAt', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-closes`}>{t('beta.editor.closesAt')}</label>
            <input
              id={`${id}-closes`}
              name="closesAt"
              type="datetime-local"
              value={fields.closesAt}
              onChange={(e) => set('closesAt', e.target.value)}
            />
          </div>
        </div>
        <p className="field-hint">{t('beta.editor.timesHint')}</p>
      </fieldset>

      <fieldset className="beta-editor-group">
        <legend>{t('beta.editor.quizGroup')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            name="hasQuiz"
            data-testid="has-quiz"
            checked={fields.quiz !== null}
            onChange={(e) => set('quiz', e.target.checked ? { questions: [emptyQuestion()], passMark: '1' } : null)}
          />
          {t('beta.editor.hasQuiz')}
        </label>
        {fields.quiz ? <QuizEditor quiz={fields.quiz} onChange={(quiz) => set('quiz', quiz)} /> : null}
      </fieldset>

      {problems.length ? (
        <div className="form-error" role="alert" data-testid="editor-problems">
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{t(`beta.editor.invalid.${problem}`)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormError message={error ? errorMessage(t, error) : null} />
      <p className="actions">
        <button type="submit" className="button" data-testid="program-save" disabled={pending}>
          {pending ? t('beta.editor.saving') : submitLabel}
        </button>
      </p>
    </form>
  );
}
