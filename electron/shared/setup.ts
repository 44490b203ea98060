/**
 * "Set up Windows", the optional wizard step after the image (off by default): its state, its reducer,
 * and the pure rules around it — the preset it saves and loads, the `windows` part of the write
 * request, and what the confirmation says. The preset type restates the engine's (the renderer may not
 * import the engine); main/engine-bindings.ts fails to compile when the two drift apart.
 */
import type { AnswerSummaryView, AnswersResponse, EditionView, IpcError, WindowsSetup } from './contract.js';
import type { MessageKey } from './i18n/catalog.js';

/** The exact words that let a preset erase disk 0 (the engine's WIPE_DISK_0_CONFIRMATION). */
export const WIPE_CONFIRMATION = 'I understand disk 0 will be erased';

export type NetworkLocation = 'home' | 'work' | 'public' | 'ask';
export type UpdateSetting = 'recommended' | 'important' | 'off' | 'ask';
type PasswordSource = { from: 'prompt' } | { from: 'file'; passwordFile: string } | { from: 'preset'; wsimEncoded: string };

/** The engine's Preset (electron/engine/image/unattend/preset.ts), restated. */
export interface SetupPreset {
  version: 1;
  edition: 'ask' | { index: number } | { name: string };
  showEveryEdition: boolean;
  language: string;
  locale: string;
  keyboard: string;
  timeZone: string | null;
  computerName: string | null;
  account: { name: string; displayName: string | null; password: PasswordSource } | null;
  productKey: string | null;
  acceptEula: boolean;
  oobe: { networkLocation: NetworkLocation; updates: UpdateSetting };
  partitioning: { mode: 'ask' } | { mode: 'wipe-disk-0'; firmware: 'bios' | 'uefi'; confirmed: string };
}

/** What the user edits on the step (empty text: setup asks). */
export interface SetupFields {
  source: 'settings' | 'imported';
  /** install.wim image index, or null: setup asks. */
  edition: number | null;
  onlyEdition: boolean;
  showAllEditions: boolean;
  language: string;
  locale: string;
  keyboard: string;
  timeZone: string | null;
  computerName: string;
  userName: string;
  /** Never in a preset unless `storePassword`, and then only as WSIM's encoding. */
  password: string;
  storePassword: boolean;
  productKey: string;
  acceptEula: boolean;
  networkLocation: NetworkLocation;
  updates: UpdateSetting;
  wipeDisk0: boolean;
  firmware: 'bios' | 'uefi';
  /** The second, plainly worded confirmation; never taken from a loaded preset. */
  wipeConfirmed: boolean;
}

export interface SetupState extends SetupFields {
  enabled: boolean;
  /** The WSIM encoding a loaded preset stored (used until a new password is typed). */
  storedPassword: string | null;
  /** An imported autounattend.xml, checked by main, used as is. */
  imported: string | null;
  /** The answer file generated from the current settings (cleared by any change). */
  answers: AnswersResponse | null;
  busy: boolean;
  error: IpcError | null;
}

export type SetupAction =
  | { type: 'setup-enable'; value: boolean; language: string; keyboard: string }
  | { type: 'setup-set'; patch: Partial<SetupFields> }
  | { type: 'setup-preset-loaded'; preset: SetupPreset; editions: EditionView[] }
  | { type: 'setup-imported'; xml: string }
  | { type: 'setup-busy' }
  | { type: 'setup-done' }
  | { type: 'setup-generated'; answers: AnswersResponse }
  | { type: 'setup-failed'; error: IpcError };

export const initialSetup: SetupState = {
  enabled: false,
  source: 'settings',
  edition: null,
  onlyEdition: false,
  showAllEditions: false,
  language: '',
  locale: '',
  keyboard: '',
  timeZone: null,
  computerName: '',
  userName: '',
  password: '',
  storePassword: false,
  productKey: '',
  acceptEula: false,
  networkLocation: 'public',
  updates: 'recommended',
  wipeDisk0: false,
  firmware: 'bios',
  wipeConfirmed: false,
  storedPassword: null,
  imported: null,
  answers: null,
  busy: false,
  error: null,
};

export function setupReducer(s: SetupState, a: SetupAction): SetupState {
  switch (a.type) {
    case 'setup-enable':
      if (!a.value) return { ...s, enabled: false };
      return s.language ? { ...s, enabled: true } : { ...s, enabled: true, language: a.language, locale: a.language, keyboard: a.keyboard };
    case 'setup-set': {
      const next = { ...s, ...a.patch, answers: null, error: null };
      // Typing a new password replaces a stored one; "keep only" needs an edition; erasing needs the mode.
      if (a.patch.password !== undefined) next.storedPassword = null;
      if (next.edition === null) next.onlyEdition = false;
      if (!next.wipeDisk0) next.wipeConfirmed = false;
      return next;
    }
    case 'setup-preset-loaded': {
      const p = a.preset;
      const edition = p.edition === 'ask' ? null : 'index' in p.edition ? p.edition.index : (a.editions.find((e) => e.name.toLowerCase() === (p.edition as { name: string }).name.toLowerCase())?.index ?? null);
      const pw = p.account?.password;
      return {
        ...s,
        source: 'settings',
        edition: a.editions.some((e) => e.index === edition) ? edition : null,
        showAllEditions: p.showEveryEdition,
        language: p.language,
        locale: p.locale,
        keyboard: p.keyboard.toLowerCase(),
        timeZone: p.timeZone,
        computerName: p.computerName ?? '',
        userName: p.account?.name ?? '',
        password: '',
        storePassword: pw?.from === 'preset',
        storedPassword: pw?.from === 'preset' ? pw.wsimEncoded : null,
        productKey: p.productKey ?? '',
        acceptEula: p.acceptEula,
        networkLocation: p.oobe.networkLocation,
        updates: p.oobe.updates,
        wipeDisk0: p.partitioning.mode === 'wipe-disk-0',
        firmware: p.partitioning.mode === 'wipe-disk-0' ? p.partitioning.firmware : s.firmware,
        wipeConfirmed: false,
        answers: null,
        error: null,
      };
    }
    case 'setup-imported':
      return { ...s, source: 'imported', imported: a.xml, answers: null, error: null };
    case 'setup-busy':
      return { ...s, busy: true, error: null };
    case 'setup-done':
      return { ...s, busy: false };
    case 'setup-generated':
      return { ...s, busy: false, answers: a.answers };
    case 'setup-failed':
      return { ...s, busy: false, error: a.error };
  }
}

/** WSIM's password encoding (UTF-16LE of password + "Password", base64): the engine's encodeWsimPassword, for the browser. */
export function wsimEncode(password: string): string {
  const s = `${password}Password`;
  let bytes = '';
  for (let i = 0; i < s.length; i++) bytes += String.fromCharCode(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
  return btoa(bytes);
}

/**
 * The settings as a preset. The password is in it only when the user ticked "store", and then only as
 * the WSIM encoding; with "keep only this edition" the edition goes by name (it is image 1 on the stick).
 */
export function presetOf(s: SetupFields & Pick<SetupState, 'storedPassword'>, editions: EditionView[]): SetupPreset {
  const ed = editions.find((e) => e.index === s.edition);
  const stored = s.password ? wsimEncode(s.password) : s.storedPassword;
  return {
    version: 1,
    edition: !ed ? 'ask' : s.onlyEdition ? { name: ed.name } : { index: ed.index },
    showEveryEdition: s.showAllEditions,
    language: s.language,
    locale: s.locale,
    keyboard: s.keyboard,
    timeZone: s.timeZone,
    computerName: s.computerName.trim() || null,
    account: s.userName.trim() ? { name: s.userName.trim(), displayName: null, password: s.storePassword && stored ? { from: 'preset', wsimEncoded: stored } : { from: 'prompt' } } : null,
    productKey: s.productKey.trim() || null,
    acceptEula: s.acceptEula,
    oobe: { networkLocation: s.networkLocation, updates: s.updates },
    partitioning: s.wipeDisk0 && s.wipeConfirmed ? { mode: 'wipe-disk-0', firmware: s.firmware, confirmed: WIPE_CONFIRMATION } : { mode: 'ask' },
  };
}

/** The clear password for answers:generate: only when the preset does not carry its encoding. */
export function passwordFor(preset: SetupPreset, s: SetupFields): string | null {
  return preset.account?.password.from === 'prompt' ? s.password : null;
}

/** Whether the step's settings are complete enough to leave it. */
export function setupReady(s: SetupState): boolean {
  if (!s.enabled) return true;
  if (s.busy || (s.onlyEdition && s.edition === null) || (s.wipeDisk0 && !s.wipeConfirmed)) return false;
  return s.source === 'imported' ? s.imported !== null : s.language !== '';
}

/** The write request's `windows`: undefined when the step is off, so the write is exactly today's. */
export function windowsRequest(s: SetupState): WindowsSetup | undefined {
  if (!s.enabled) return undefined;
  return { edition: s.edition, onlyEdition: s.onlyEdition, showAllEditions: s.showAllEditions, unattendXml: s.source === 'imported' ? s.imported : (s.answers?.xml ?? null) };
}

/** Whether the answer file lets setup erase a disk without asking (generated or imported). */
export function erasesPcDisk(s: SetupState): boolean {
  if (!s.enabled) return false;
  if (s.source === 'imported') return /<(?:\w+:)?WillWipeDisk>\s*true\s*</i.test(s.imported ?? '');
  return s.wipeDisk0 && s.wipeConfirmed;
}

/**
 * One line of what the confirmation lists about Windows setup: a catalog message and its values (the
 * step words it in the user's language), or a line main already wrote (the answer file's summary).
 */
/** A line of the confirmation: a message, or the generated answer file's summary (worded by answer-summary.ts). */
export type SetupLine = { key: MessageKey; values?: Readonly<Record<string, string | number>> } | { answers: AnswerSummaryView };

/** What the confirmation lists about Windows setup (nothing when the step is off). */
export function setupLines(s: SetupState, editions: EditionView[]): SetupLine[] {
  if (!s.enabled) return [];
  const ed = editions.find((e) => e.index === s.edition);
  const lines: SetupLine[] = [{ key: s.source === 'imported' ? 'app.setupLine.imported' : 'app.setupLine.generated' }];
  lines.push(ed ? { key: 'app.setupLine.edition', values: { index: ed.index, name: ed.name } } : { key: 'app.setupLine.editionAsks' });
  if (ed && s.onlyEdition) lines.push({ key: 'app.setupLine.onlyEdition', values: { name: ed.name } });
  if (s.showAllEditions) lines.push({ key: 'app.setupLine.everyEdition' });
  if (s.source === 'settings' && s.answers) lines.push({ answers: s.answers.details });
  return lines;
}
