import type { NetworkLocation, SetupFields, SetupState, UpdateSetting } from '../../../../electron/shared/setup.js';
import { useT } from '../../i18n.js';
import { Check, Field } from './Field.js';

/** The PC's name, the local administrator, the product key, the licence and the OOBE questions with safe answers. */
export function SetupAccount({ setup, set }: { setup: SetupState; set(p: Partial<SetupFields>): void }) {
  const tr = useT();
  const hasAccount = setup.userName.trim() !== '';
  return (
    <fieldset>
      <legend>{tr.t('app.setup.accountLegend')}</legend>
      <div className="field-grid">
        <Field id="setup-computer" label={tr.t('app.setup.computer')} hint={tr.t('app.setup.computerHint')}>
          <input id="setup-computer" type="text" maxLength={15} autoComplete="off" spellCheck={false} value={setup.computerName} aria-describedby="setup-computer-hint" onChange={(e) => set({ computerName: e.target.value })} />
        </Field>
        <Field id="setup-user" label={tr.t('app.setup.user')} hint={tr.t('app.setup.userHint')}>
          <input id="setup-user" type="text" maxLength={20} autoComplete="off" spellCheck={false} value={setup.userName} aria-describedby="setup-user-hint" onChange={(e) => set({ userName: e.target.value })} />
        </Field>
        <Field id="setup-password" label={tr.t('app.setup.password')} hint={setup.storedPassword && !setup.password ? tr.t('app.setup.passwordStoredHint') : tr.t('app.setup.passwordHint')}>
          <input id="setup-password" type="password" autoComplete="new-password" disabled={!hasAccount} value={setup.password} aria-describedby="setup-password-hint" onChange={(e) => set({ password: e.target.value })} />
        </Field>
        <Field id="setup-key" label={tr.t('app.setup.productKey')} hint={tr.t('app.setup.productKeyHint')}>
          <input id="setup-key" type="text" maxLength={29} autoComplete="off" spellCheck={false} value={setup.productKey} aria-describedby="setup-key-hint" onChange={(e) => set({ productKey: e.target.value.toUpperCase() })} />
        </Field>
      </div>
      <Check
        id="setup-store-password"
        label={tr.t('app.setup.storePassword')}
        checked={setup.storePassword}
        disabled={!hasAccount}
        onChange={(v) => set({ storePassword: v })}
        hint={tr.t('app.setup.storePasswordHint')}
      />
      <Check id="setup-eula" label={tr.t('app.setup.eula')} checked={setup.acceptEula} onChange={(v) => set({ acceptEula: v })} hint={tr.t('app.setup.eulaHint')} />
      <div className="field-grid">
        <Field id="setup-network" label={tr.t('app.setup.network')}>
          <select id="setup-network" value={setup.networkLocation} onChange={(e) => set({ networkLocation: e.target.value as NetworkLocation })}>
            <option value="public">{tr.t('app.setup.networkPublic')}</option>
            <option value="work">{tr.t('app.setup.networkWork')}</option>
            <option value="home">{tr.t('app.setup.networkHome')}</option>
            <option value="ask">{tr.t('app.setup.letWindowsAsk')}</option>
          </select>
        </Field>
        <Field id="setup-updates" label={tr.t('app.setup.updates')}>
          <select id="setup-updates" value={setup.updates} onChange={(e) => set({ updates: e.target.value as UpdateSetting })}>
            <option value="recommended">{tr.t('app.setup.updatesRecommended')}</option>
            <option value="important">{tr.t('app.setup.updatesImportant')}</option>
            <option value="off">{tr.t('app.setup.updatesLater')}</option>
            <option value="ask">{tr.t('app.setup.letWindowsAsk')}</option>
          </select>
        </Field>
      </div>
    </fieldset>
  );
}
