import { LANGUAGE_NAMES, LOCALES, PSEUDO_LOCALE, isLocale, type Locale } from '../../../electron/shared/i18n/locales.js';
import { useT } from '../i18n.js';

/**
 * The app's language: "System default" (follow the OS) or one SevenStick speaks, each by its own name
 * (and marked with its language, so screen readers say it right). The pseudo-locale is listed only
 * while it is in use (tests start the app in it).
 */
export function LanguagePicker({ choice, onChoose }: { choice: Locale | null; onChoose(choice: Locale | null): void }) {
  const tr = useT();
  return (
    <div className="language">
      <label htmlFor="language">{tr.t('app.language.label')}</label>
      <select id="language" value={choice ?? ''} onChange={(e) => onChoose(isLocale(e.target.value) ? e.target.value : null)}>
        <option value="">{tr.t('app.language.system')}</option>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
        {choice === PSEUDO_LOCALE && (
          <option value={PSEUDO_LOCALE} lang={PSEUDO_LOCALE}>
            {PSEUDO_LOCALE}
          </option>
        )}
      </select>
    </div>
  );
}
