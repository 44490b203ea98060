import type { SetupFields, SetupState } from '../../../../electron/shared/setup.js';
import { useT } from '../../i18n.js';
import { Check } from './Field.js';

/** Where Windows goes: setup asks (default), or disk 0 is wiped — only behind a second, plain confirmation. */
export function SetupDisk({ setup, set }: { setup: SetupState; set(p: Partial<SetupFields>): void }) {
  const tr = useT();
  return (
    <fieldset>
      <legend>{tr.t('app.setup.diskLegend')}</legend>
      <div className="radio">
        <input type="radio" id="setup-disk-ask" name="setup-disk" checked={!setup.wipeDisk0} onChange={() => set({ wipeDisk0: false })} />
        <label htmlFor="setup-disk-ask">{tr.t('app.setup.diskAsk')}</label>
      </div>
      <div className="radio">
        <input type="radio" id="setup-disk-wipe" name="setup-disk" checked={setup.wipeDisk0} onChange={() => set({ wipeDisk0: true })} />
        <label htmlFor="setup-disk-wipe">{tr.t('app.setup.diskWipe')}</label>
      </div>
      {setup.wipeDisk0 && (
        <div className="callout danger">
          <p className="callout-title">{tr.t('app.setup.wipeTitle')}</p>
          <p>{tr.t('app.setup.wipeText')}</p>
          <div className="radio">
            <input type="radio" id="setup-fw-bios" name="setup-fw" checked={setup.firmware === 'bios'} onChange={() => set({ firmware: 'bios' })} />
            <label htmlFor="setup-fw-bios">{tr.t('app.setup.firmwareBios')}</label>
          </div>
          <div className="radio">
            <input type="radio" id="setup-fw-uefi" name="setup-fw" checked={setup.firmware === 'uefi'} onChange={() => set({ firmware: 'uefi' })} />
            <label htmlFor="setup-fw-uefi">{tr.t('app.setup.firmwareUefi')}</label>
          </div>
          {/* The words are the user's to confirm in their language; the preset records the engine's WIPE_CONFIRMATION. */}
          <Check id="setup-wipe-confirm" label={tr.t('app.setup.wipeConfirm')} checked={setup.wipeConfirmed} onChange={(v) => set({ wipeConfirmed: v })} hint={tr.t('app.setup.wipeConfirmHint')} />
        </div>
      )}
    </fieldset>
  );
}
