import { WIPE_CONFIRMATION, type SetupFields, type SetupState } from '../../../../electron/shared/setup.js';
import { Check } from './Field.js';

/** Where Windows goes: setup asks (default), or disk 0 is wiped — only behind a second, plain confirmation. */
export function SetupDisk({ setup, set }: { setup: SetupState; set(p: Partial<SetupFields>): void }) {
  return (
    <fieldset>
      <legend>Where to install</legend>
      <div className="radio">
        <input type="radio" id="setup-disk-ask" name="setup-disk" checked={!setup.wipeDisk0} onChange={() => set({ wipeDisk0: false })} />
        <label htmlFor="setup-disk-ask">Setup asks which disk and partition (recommended)</label>
      </div>
      <div className="radio">
        <input type="radio" id="setup-disk-wipe" name="setup-disk" checked={setup.wipeDisk0} onChange={() => set({ wipeDisk0: true })} />
        <label htmlFor="setup-disk-wipe">Wipe disk 0 of the PC and install there</label>
      </div>
      {setup.wipeDisk0 && (
        <div className="callout danger">
          <p className="callout-title">Setup will erase the PC's first disk without asking</p>
          <p>Every PC this stick starts setup on loses everything on its disk 0: files, other systems, partitions. There is no undo.</p>
          <div className="radio">
            <input type="radio" id="setup-fw-bios" name="setup-fw" checked={setup.firmware === 'bios'} onChange={() => set({ firmware: 'bios' })} />
            <label htmlFor="setup-fw-bios">BIOS PCs (MBR disk)</label>
          </div>
          <div className="radio">
            <input type="radio" id="setup-fw-uefi" name="setup-fw" checked={setup.firmware === 'uefi'} onChange={() => set({ firmware: 'uefi' })} />
            <label htmlFor="setup-fw-uefi">UEFI PCs (GPT disk)</label>
          </div>
          <Check id="setup-wipe-confirm" label={WIPE_CONFIRMATION} checked={setup.wipeConfirmed} onChange={(v) => set({ wipeConfirmed: v })} hint="Required: without it, setup asks where to install." />
        </div>
      )}
    </fieldset>
  );
}
