import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import es from './es.json';
import { initialLocale } from './locale';

export const resources = {
  en: { translation: en },
  es: { translation: es },
} as const;

function setDocumentLanguage(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

i18n.on('languageChanged', setDocumentLanguage);

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLocale(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'es'],
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
});

setDocumentLanguage(i18n.language);

export default i18n;
