import type { Locale } from '@fanlab/shared';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateLocale } from '../account/mutations';
import { useMe } from '../account/useMe';
import { showLocale } from '.';
import { DEFAULT_LOCALE, isLocale, storeLocale } from './locale';

function applyLocale(locale: Locale) {
  storeLocale(locale);
  void showLocale(locale);
}

/** The language the interface is shown in now. */
export function useCurrentLocale(): Locale {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLocale(language) ? language : DEFAULT_LOCALE;
}

/** A signed-in user's saved language wins over this browser's choice. Mount once, high in the tree. */
export function useLocaleSync() {
  const { i18n } = useTranslation();
  const saved = useMe().data?.locale ?? null;
  useEffect(() => {
    if (saved && saved !== i18n.resolvedLanguage) applyLocale(saved);
  }, [i18n, saved]);
}

/** Switches the language, remembers it in this browser and, when signed in, on the account. */
export function useChangeLocale() {
  const signedIn = Boolean(useMe().data);
  const update = useUpdateLocale();
  return (locale: Locale) => {
    applyLocale(locale);
    if (signedIn) update.mutate(locale);
  };
}
