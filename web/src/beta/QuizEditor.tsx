import { BETA_CHOICES_MAX, BETA_QUESTIONS_MAX } from '@fanlab/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { emptyQuestion, type ProgramFields, type QuestionFields } from './programForm';

type Quiz = NonNullable<ProgramFields['quiz']>;

/** Questions with their choices (the right one marked) and the pass mark. */
export function QuizEditor({ quiz, onChange }: { quiz: Quiz; onChange: (quiz: Quiz) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const setQuestion = (index: number, question: QuestionFields) =>
    onChange({ ...quiz, questions: quiz.questions.map((q, i) => (i === index ? question : q)) });
  const removeQuestion = (index: number) =>
    onChange({ ...quiz, questions: quiz.questions.filter((_, i) => i !== index) });
  return (
    <div className="beta-quiz-editor" data-testid="quiz-editor">
      {quiz.questions.map((question, q) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place, by position
        <fieldset key={q} className="beta-question" data-testid="quiz-editor-question">
          <legend>{t('beta.editor.question', { number: q + 1 })}</legend>
          <div className="field">
            <label htmlFor={`${id}-q${q}`}>{t('beta.editor.prompt')}</label>
            <input
              type="text"
              id={`${id}-q${q}`}
              data-testid="quiz-prompt"
              maxLength={500}
              value={question.prompt}
              onChange={(e) => setQuestion(q, { ...question, prompt: e.target.value })}
            />
          </div>
          <p className="field-hint">{t('beta.editor.choicesHint')}</p>
          {question.choices.map((choice, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the right answer is a position
            <div key={c} className="beta-choice-row">
              <input
                type="radio"
                name={`${id}-q${q}-correct`}
                aria-label={t('beta.editor.correct', { number: c + 1 })}
                data-testid="quiz-correct"
                checked={question.correct === c}
                onChange={() => setQuestion(q, { ...question, correct: c })}
              />
              <input
                type="text"
                aria-label={t('beta.editor.choice', { number: c + 1 })}
                data-testid="quiz-choice-text"
                maxLength={200}
                value={choice}
                onChange={(e) =>
                  setQuestion(q, {
                    ...question,
                    choices: question.choices.map((x, i) => (i === c ? e.target.value : x)),
                  })
                }
              />
              {question.choices.length > 2 ? (
                <button
                  type="button"
                  className="link-button link-button-danger"
                  onClick={() =>
                    setQuestion(q, {
                      ...question,
                      choices: question.choices.filter((_, i) => i !== c),
                      correct:
                        question.correct === c ? 0 : question.correct > c ? question.correct - 1 : question.correct,
                    })
                  }
                >
                  {t('beta.editor.removeChoice')}
                </button>
              ) : null}
            </div>
          ))}
          <p className="actions">
            {question.choices.length < BETA_CHOICES_MAX ? (
              <button
                type="button"
                className="button button-small button-secondary"
                data-testid="quiz-add-choice"
                onClick={() => setQuestion(q, { ...question, choices: [...question.choices, ''] })}
              >
                {t('beta.editor.addChoice')}
              </button>
            ) : null}
            {quiz.questions.length > 1 ? (
              <button
                type="button"
                className="button button-small button-danger-outline"
                onClick={() => removeQuestion(q)}
              >
                {t('beta.editor.removeQuestion')}
              </button>
            ) : null}
          </p>
        </fieldset>
      ))}
      <div className="beta-editor-row">
        {quiz.questions.length < BETA_QUESTIONS_MAX ? (
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="quiz-add-question"
            onClick={() => onChange({ ...quiz, questions: [...quiz.questions, emptyQuestion()] })}
          >
            {t('beta.editor.addQuestion')}
          </button>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-pass`}>{t('beta.editor.passMark', { count: quiz.questions.length })}</label>
          <input
            id={`${id}-pass`}
            data-testid="quiz-pass-mark"
            type="number"
            min={1}
            max={quiz.questions.length}
            value={quiz.passMark}
            onChange={(e) => onChange({ ...quiz, passMark: e.target.value })}
          />
        </div>
      </div>
    </div>
  );
}
