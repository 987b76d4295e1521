import type { BetaProgram } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RelativeTime } from '../components/RelativeTime';

/** Who may apply and how: devices, regions, trust level, account age, quiz, mode and times. */
export function ProgramRequirements({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  return (
    <section className="beta-requirements card" aria-labelledby="beta-requirements-heading" data-testid="requirements">
      <h2 id="beta-requirements-heading">{t('beta.requirements.heading')}</h2>
      <dl className="details beta-details">
        <dt>{t('beta.requirements.devices')}</dt>
        <dd data-testid="requirement-devices">{program.devices.map((d) => d.model).join(', ')}</dd>
        <dt>{t('beta.requirements.regions')}</dt>
        <dd data-testid="requirement-regions">
          {program.regions.length ? program.regions.join(', ') : t('beta.requirements.anyRegion')}
        </dd>
        <dt>{t('beta.requirements.trustLevel')}</dt>
        <dd data-testid="requirement-trust">
          {program.minTrustLevel === 0
            ? t('beta.requirements.anyTrust')
            : t('beta.requirements.trustAtLeast', {
                level: program.minTrustLevel,
                name: t(`trust.levels.${program.minTrustLevel}`),
              })}
        </dd>
        <dt>{t('beta.requirements.accountAge')}</dt>
        <dd data-testid="requirement-age">
          {program.minAccountAgeDays === 0
            ? t('beta.requirements.anyAge')
            : t('beta.requirements.ageAtLeast', { count: program.minAccountAgeDays })}
        </dd>
        <dt>{t('beta.requirements.quiz')}</dt>
        <dd data-testid="requirement-quiz">
          {program.quiz
            ? t('beta.requirements.quizPass', { passMark: program.quiz.passMark, count: program.quiz.questions.length })
            : t('beta.requirements.noQuiz')}
        </dd>
        <dt>{t('beta.requirements.mode')}</dt>
        <dd data-testid="requirement-mode">{t(`beta.modeHelp.${program.mode}`)}</dd>
        {program.opensAt ? (
          <>
            <dt>{t('beta.requirements.opens')}</dt>
            <dd>
              <RelativeTime date={program.opensAt} />
            </dd>
          </>
        ) : null}
        {program.closesAt ? (
          <>
            <dt>{t('beta.requirements.closes')}</dt>
            <dd>
              <RelativeTime date={program.closesAt} />
            </dd>
          </>
        ) : null}
        {program.feedbackCategory ? (
          <>
            <dt>{t('beta.requirements.feedback')}</dt>
            <dd>
              <Link to={`/c/${program.feedbackCategory.slug}`}>{program.feedbackCategory.name}</Link>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
