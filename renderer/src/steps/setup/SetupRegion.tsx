import type { SetupFields, SetupState } from '../../../../electron/shared/setup.js';
import { KEYBOARDS, LOCALES, TIME_ZONES, keyboardFor, mediaLanguages, type Locale } from './data.js';
import { Field } from './Field.js';

const localeOptions = (list: readonly Locale[]) =>
  list.map((l) => (
    <option key={l.tag} value={l.tag}>
      {l.name} ({l.tag})
    </option>
  ));

/** Setup's language, formats, keyboard and time zone: Windows 7's own identifiers. */
export function SetupRegion({ setup, languages, set }: { setup: SetupState; languages: string[]; set(p: Partial<SetupFields>): void }) {
  return (
    <fieldset>
      <legend>Language and region</legend>
      <div className="field-grid">
        <Field id="setup-language" label="Language of setup and Windows">
          <select id="setup-language" value={setup.language} onChange={(e) => set({ language: e.target.value })}>
            {localeOptions(mediaLanguages(languages))}
          </select>
        </Field>
        <Field id="setup-locale" label="Formats (dates, numbers, currency)">
          <select id="setup-locale" value={setup.locale} onChange={(e) => set({ locale: e.target.value, keyboard: keyboardFor(e.target.value) })}>
            {localeOptions(LOCALES)}
          </select>
        </Field>
        <Field id="setup-keyboard" label="Keyboard layout">
          <select id="setup-keyboard" value={setup.keyboard} onChange={(e) => set({ keyboard: e.target.value })}>
            {KEYBOARDS.map((k) => (
              <option key={k.id} value={k.id.toLowerCase()}>
                {k.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="setup-timezone" label="Time zone">
          <select id="setup-timezone" value={setup.timeZone ?? ''} onChange={(e) => set({ timeZone: e.target.value || null })}>
            <option value="">Let setup ask</option>
            {TIME_ZONES.map((z) => (
              <option key={z.id} value={z.id}>
                {z.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </fieldset>
  );
}
