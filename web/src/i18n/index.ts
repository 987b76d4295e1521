import type { Locale } from '@fanlab/shared';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import { DEFAULT_LOCALE, initialLocale } from './locale';

/**
 * English ships in the main bundle (every other catalog falls back to it, key by key); each other
 * language's catalog is a chunk of its own, loaded when the language is first shown.
 */
const catalogs: Record<Exclude<Locale, 'en'>, () => Promise<{ default: object }>> = {
  es: () => import('./es.json'),
};

/** Loads `locale`'s catalog if it is not yet (resolves at once for English or a loaded one). */
export async function loadCatalog(locale: Locale): Promise<void> {
  if (locale === 'en' || i18n.hasResourceBundle(locale, 'translation')) return;
  const catalog = await catalogs[locale]();
  i18n.addResourceBundle(locale, 'translation', catalog.default, true, true);
}

/** Shows the interface in `locale`, once its catalog is here. */
export async function showLocale(locale: Locale): Promise<void> {
  await loadCatalog(locale);
  await i18n.changeLanguage(locale);
}

function setDocumentLanguage(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

i18n.on('languageChanged', setDocumentLanguage);

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: ['en', ...Object.keys(catalogs)],
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
});

setDocumentLanguage(i18n.language);

/** Before the first render (main.tsx): the language this browser asks for, its catalog loaded. */
export const ready: Promise<void> = showLocale(initialLocale()).catch((err: unknown) => {
  // the catalog did not load (offline, a new deploy removed the chunk): English meanwhile
  console.warn('the interface language did not load; showing English', err);
});

export default i18n;
