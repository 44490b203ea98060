import type { NetworkLocation, SetupFields, SetupState, UpdateSetting } from '../../../../electron/shared/setup.js';
import { Check, Field } from './Field.js';

/** The PC's name, the local administrator, the product key, the licence and the OOBE questions with safe answers. */
export function SetupAccount({ setup, set }: { setup: SetupState; set(p: Partial<SetupFields>): void }) {
  const hasAccount = setup.userName.trim() !== '';
  return (
    <fieldset>
      <legend>Computer and account</legend>
      <div className="field-grid">
        <Field id="setup-computer" label="Computer name" hint="Up to 15 letters, digits or hyphens; empty: setup asks; * : Windows makes one up.">
          <input id="setup-computer" type="text" maxLength={15} autoComplete="off" spellCheck={false} value={setup.computerName} aria-describedby="setup-computer-hint" onChange={(e) => set({ computerName: e.target.value })} />
        </Field>
        <Field id="setup-user" label="Administrator account name" hint="A local account in Administrators; empty: setup asks.">
          <input id="setup-user" type="text" maxLength={20} autoComplete="off" spellCheck={false} value={setup.userName} aria-describedby="setup-user-hint" onChange={(e) => set({ userName: e.target.value })} />
        </Field>
        <Field id="setup-password" label="Account password" hint={setup.storedPassword && !setup.password ? 'The loaded preset holds one (encoded); typing replaces it.' : 'Never logged; not saved in a preset unless you tick the box below.'}>
          <input id="setup-password" type="password" autoComplete="new-password" disabled={!hasAccount} value={setup.password} aria-describedby="setup-password-hint" onChange={(e) => set({ password: e.target.value })} />
        </Field>
        <Field id="setup-key" label="Product key (optional)" hint="XXXXX-XXXXX-XXXXX-XXXXX-XXXXX; empty: setup asks (it may be skipped).">
          <input id="setup-key" type="text" maxLength={29} autoComplete="off" spellCheck={false} value={setup.productKey} aria-describedby="setup-key-hint" onChange={(e) => set({ productKey: e.target.value.toUpperCase() })} />
        </Field>
      </div>
      <Check
        id="setup-store-password"
        label="Store the password in the preset (encoded, not encrypted)"
        checked={setup.storePassword}
        disabled={!hasAccount}
        onChange={(v) => set({ storePassword: v })}
        hint="Anyone who has the preset file can read the password back."
      />
      <Check id="setup-eula" label="Accept the Windows licence terms" checked={setup.acceptEula} onChange={(v) => set({ acceptEula: v })} hint="You accept them for every PC this stick installs." />
      <div className="field-grid">
        <Field id="setup-network" label="Network location">
          <select id="setup-network" value={setup.networkLocation} onChange={(e) => set({ networkLocation: e.target.value as NetworkLocation })}>
            <option value="public">Public network (safest)</option>
            <option value="work">Work network</option>
            <option value="home">Home network</option>
            <option value="ask">Let Windows ask</option>
          </select>
        </Field>
        <Field id="setup-updates" label="Windows Update setting">
          <select id="setup-updates" value={setup.updates} onChange={(e) => set({ updates: e.target.value as UpdateSetting })}>
            <option value="recommended">Use recommended settings</option>
            <option value="important">Install important updates only</option>
            <option value="off">Ask me later</option>
            <option value="ask">Let Windows ask</option>
          </select>
        </Field>
      </div>
    </fieldset>
  );
}
