import type { SetupFields, SetupState } from '../../../../electron/shared/setup.js';
import type { Translator } from '../../../../electron/shared/i18n/translator.js';
import { useT } from '../../i18n.js';
import { KEYBOARDS, LOCALES, TIME_ZONES, keyboardFor, mediaLanguages, type Locale } from './data.js';
import { Field } from './Field.js';

/** A Windows locale by its name in the user's language (Intl's), else Windows' English name. */
function localeName(tr: Translator, l: Locale): string {
  try {
    return tr.intl.formatDisplayName(l.tag, { type: 'language', languageDisplay: 'standard' }) ?? l.name;
  } catch {
    return l.name;
  }
}

/** The locales as options, named and sorted in the user's language. */
function localeOptions(tr: Translator, list: readonly Locale[]) {
  const collator = new Intl.Collator(tr.intl.locale);
  return list
    .map((l) => ({ tag: l.tag, name: localeName(tr, l) }))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map((l) => (
      <option key={l.tag} value={l.tag}>
        {tr.t('app.setup.localeOption', { name: l.name, tag: l.tag })}
      </option>
    ));
}

/** Setup's language, formats, keyboard and time zone: Windows 7's own identifiers. */
export function SetupRegion({ setup, languages, set }: { setup: SetupState; languages: string[]; set(p: Partial<SetupFields>): void }) {
  const tr = useT();
  const zone = TIME_ZONES.find((z) => z.id === setup.timeZone);
  return (
    <fieldset>
      <legend>{tr.t('app.setup.regionLegend')}</legend>
      <div className="field-grid">
        <Field wide id="setup-language" label={tr.t('app.setup.language')}>
          <select id="setup-language" value={setup.language} onChange={(e) => set({ language: e.target.value })}>
            {localeOptions(tr, mediaLanguages(languages))}
          </select>
        </Field>
        <Field wide id="setup-locale" label={tr.t('app.setup.locale')}>
          <select id="setup-locale" value={setup.locale} onChange={(e) => set({ locale: e.target.value, keyboard: keyboardFor(e.target.value) })}>
            {localeOptions(tr, LOCALES)}
          </select>
        </Field>
        <Field id="setup-keyboard" label={tr.t('app.setup.keyboard')}>
          <select id="setup-keyboard" value={setup.keyboard} onChange={(e) => set({ keyboard: e.target.value })}>
            {KEYBOARDS.map((k) => (
              <option key={k.id} value={k.id.toLowerCase()}>
                {k.name}
              </option>
            ))}
          </select>
        </Field>
        <Field wide id="setup-timezone" label={tr.t('app.setup.timeZone')}>
          <select id="setup-timezone" value={setup.timeZone ?? ''} onChange={(e) => set({ timeZone: e.target.value || null })}>
            <option value="">{tr.t('app.setup.letSetupAsk')}</option>
            {TIME_ZONES.map((z) => (
              <option key={z.id} value={z.id}>
                {z.label}
              </option>
            ))}
          </select>
          {/* Windows' zone names are long: in a narrow window the chosen one is also written out in full here. */}
          {zone && (
            <output htmlFor="setup-timezone" className="field-value small">
              {zone.label}
            </output>
          )}
        </Field>
      </div>
    </fieldset>
  );
}
