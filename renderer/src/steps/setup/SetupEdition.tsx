import type { EditionView } from '../../../../electron/shared/contract.js';
import type { SetupFields, SetupState } from '../../../../electron/shared/setup.js';
import { Check, Field } from './Field.js';

/** Which edition setup installs, whether the stick keeps only it, and whether setup lists every edition. */
export function SetupEdition({ setup, editions, set }: { setup: SetupState; editions: EditionView[]; set(p: Partial<SetupFields>): void }) {
  return (
    <fieldset>
      <legend>Edition</legend>
      <Field id="setup-edition" label="Edition to install" hint="From the image's install.wim.">
        <select id="setup-edition" value={setup.edition ?? ''} aria-describedby="setup-edition-hint" onChange={(e) => set({ edition: e.target.value === '' ? null : Number(e.target.value) })}>
          <option value="">Let setup ask</option>
          {editions.map((e) => (
            <option key={e.index} value={e.index}>
              {e.index}. {e.name} ({e.arch})
            </option>
          ))}
        </select>
      </Field>
      <Check
        id="setup-only-edition"
        label="Keep only this edition on the stick"
        checked={setup.onlyEdition}
        disabled={setup.edition === null}
        onChange={(v) => set({ onlyEdition: v })}
        hint="The stick's install.wim then holds this edition alone (smaller; setup cannot install another one)."
      />
      <Check id="setup-show-all" label="Show every edition in setup" checked={setup.showAllEditions} onChange={(v) => set({ showAllEditions: v })} hint="Setup lists all editions of install.wim, not only the one the disc was sold as." />
    </fieldset>
  );
}
