import { locales } from '@fanlab/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isLocale } from '../i18n/locale';
import { useChangeLocale, useCurrentLocale } from '../i18n/useLocale';

export function LanguageSelect() {
  const { t } = useTranslation();
  const id = useId();
  const current = useCurrentLocale();
  const changeLocale = useChangeLocale();
  return (
    <div className="language-select">
      <label htmlFor={id}>{t('locale.label')}</label>
      <select
        id={id}
        data-testid="locale-select"
        value={current}
        onChange={(event) => {
          if (isLocale(event.target.value)) changeLocale(event.target.value);
        }}
      >
        {locales.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`locale.${locale}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
