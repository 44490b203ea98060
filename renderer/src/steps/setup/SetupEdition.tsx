import type { EditionView } from '../../../../electron/shared/contract.js';
import type { SetupFields, SetupState } from '../../../../electron/shared/setup.js';
import { useT } from '../../i18n.js';
import { Check, Field } from './Field.js';

/** Which edition setup installs, whether the stick keeps only it, and whether setup lists every edition. */
export function SetupEdition({ setup, editions, set }: { setup: SetupState; editions: EditionView[]; set(p: Partial<SetupFields>): void }) {
  const tr = useT();
  return (
    <fieldset>
      <legend>{tr.t('app.setup.editionLegend')}</legend>
      <Field id="setup-edition" label={tr.t('app.setup.edition')} hint={tr.t('app.setup.editionHint')}>
        <select id="setup-edition" value={setup.edition ?? ''} aria-describedby="setup-edition-hint" onChange={(e) => set({ edition: e.target.value === '' ? null : Number(e.target.value) })}>
          <option value="">{tr.t('app.setup.letSetupAsk')}</option>
          {editions.map((e) => (
            <option key={e.index} value={e.index}>
              {tr.t('app.setup.editionOption', { index: e.index, name: e.name, arch: e.arch })}
            </option>
          ))}
        </select>
      </Field>
      <Check
        id="setup-only-edition"
        label={tr.t('app.setup.onlyEdition')}
        checked={setup.onlyEdition}
        disabled={setup.edition === null}
        onChange={(v) => set({ onlyEdition: v })}
        hint={tr.t('app.setup.onlyEditionHint')}
      />
      <Check id="setup-show-all" label={tr.t('app.setup.showAllEditions')} checked={setup.showAllEditions} onChange={(v) => set({ showAllEditions: v })} hint={tr.t('app.setup.showAllEditionsHint')} />
    </fieldset>
  );
}
