import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { setTheme, themes, useTheme } from './theme';

/** Light, dark, or as the system says; remembered on this device. */
export function ThemeSelect() {
  const { t } = useTranslation();
  const id = useId();
  const { theme } = useTheme();
  return (
    <div className="theme-select">
      <label htmlFor={id}>{t('theme.label')}</label>
      <select
        id={id}
        data-testid="theme-select"
        value={theme}
        onChange={(event) => {
          const chosen = themes.find((option) => option === event.target.value);
          if (chosen) setTheme(chosen);
        }}
      >
        {themes.map((option) => (
          <option key={option} value={option}>
            {t(`theme.${option}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
