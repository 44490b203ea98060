/**
 * A preset: the small JSON document that holds every answer of "Set up Windows", so a fleet of PCs gets
 * identical settings. Versioned, English keys, and validated at load with exact key sets (every key
 * present, no other key: absent answers are null or "ask"). The password is never in a preset in clear:
 * it comes from a prompt, from a file the preset names, or — only when the user ticked the box that says
 * so — as the Windows System Image Manager encoding that the answer file holds anyway.
 */
import { SevenStickError } from '../../io/errors.js';
import { ValidationError, bool, nonEmpty, nullable, object, oneOf, str, uint, type Validator } from '../../../shared/validate.js';

export const PRESET_VERSION = 1;

/** The exact words a preset must carry to let setup erase disk 0 (the plainly worded second confirmation). */
export const WIPE_DISK_0_CONFIRMATION = 'I understand disk 0 will be erased';

/** Which edition of install.wim setup installs: by its index, by its exact name, or setup asks. */
export type EditionChoice = 'ask' | { index: number } | { name: string };

/** Where the account's password comes from. `preset`: the WSIM encoding, stored because the user asked for it. */
export type PasswordSource = { from: 'prompt' } | { from: 'file'; passwordFile: string } | { from: 'preset'; wsimEncoded: string };

export interface PresetAccount {
  /** The local account's name (a member of Administrators). */
  name: string;
  displayName: string | null;
  password: PasswordSource;
}

export type NetworkLocation = 'home' | 'work' | 'public' | 'ask';
export type UpdateSetting = 'recommended' | 'important' | 'off' | 'ask';

export type Partitioning = { mode: 'ask' } | { mode: 'wipe-disk-0'; firmware: 'bios' | 'uefi'; confirmed: string };

export interface Preset {
  version: typeof PRESET_VERSION;
  edition: EditionChoice;
  /** Show every edition of install.wim in setup (ei.cfg no longer limits the list). Applied by the stick layout, not the answer file. */
  showEveryEdition: boolean;
  /** Setup's and Windows' display language (a Windows 7 language pack the media holds), e.g. "en-US". */
  language: string;
  /** Formats and system locale, e.g. "de-DE". */
  locale: string;
  /** Keyboard layout (KLID), e.g. "00000407". */
  keyboard: string;
  /** A Windows 7 time zone ID; null: Windows derives it from the locale. */
  timeZone: string | null;
  /** null: setup asks; "*": Windows makes one up. */
  computerName: string | null;
  account: PresetAccount | null;
  productKey: string | null;
  acceptEula: boolean;
  oobe: { networkLocation: NetworkLocation; updates: UpdateSetting };
  partitioning: Partitioning;
}

const PRODUCT_KEY_CHARS = 'BCDFGHJKMPQRTVWXY2346789';
const PRODUCT_KEY = new RegExp(`^[${PRODUCT_KEY_CHARS}]{5}(-[${PRODUCT_KEY_CHARS}]{5}){4}$`);

/** A Windows 7 product key: five groups of five from Microsoft's 24-letter alphabet, dashes between. Returns it upper-cased. */
export function checkProductKey(key: string): string {
  const k = key.trim().toUpperCase();
  if (!PRODUCT_KEY.test(k)) {
    throw new SevenStickError('E_ARGS', `The product key is not in the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX (only the letters and digits ${PRODUCT_KEY_CHARS})`);
  }
  return k;
}

/** A computer name Windows 7 setup accepts: 1–15 letters, digits or hyphens, not only digits, no hyphen at either end; or "*" (random). */
export function checkComputerName(name: string): string {
  if (name === '*') return name;
  if (!/^[A-Za-z0-9-]{1,15}$/.test(name)) {
    throw new SevenStickError('E_ARGS', `The computer name "${name}" is not valid: use 1 to 15 letters (A–Z), digits or hyphens`);
  }
  if (/^[0-9]+$/.test(name)) throw new SevenStickError('E_ARGS', `The computer name "${name}" is not valid: it cannot be only digits`);
  if (name.startsWith('-') || name.endsWith('-')) throw new SevenStickError('E_ARGS', `The computer name "${name}" is not valid: it cannot start or end with a hyphen`);
  return name;
}

const RESERVED_ACCOUNTS = new Set(['administrator', 'guest', 'homegroupuser$', 'system', 'none']);

/** A Windows local account name: 1–20 characters, none of " / \ [ ] : ; | = , + * ? < > @, not only dots and spaces, not a built-in account. */
export function checkUserName(name: string): string {
  if (name.length < 1 || name.length > 20) throw new SevenStickError('E_ARGS', `The user name "${name}" is not valid: use 1 to 20 characters`);
  // eslint-disable-next-line no-control-regex
  if (/["/\\[\]:;|=,+*?<>@\u0000-\u001f\u007f]/.test(name)) {
    throw new SevenStickError('E_ARGS', `The user name "${name}" is not valid: it cannot contain " / \\ [ ] : ; | = , + * ? < > @ or control characters`);
  }
  if (/^[. ]+$/.test(name) || name.endsWith('.')) throw new SevenStickError('E_ARGS', `The user name "${name}" is not valid: it cannot be only dots and spaces or end with a dot`);
  if (RESERVED_ACCOUNTS.has(name.toLowerCase())) throw new SevenStickError('E_ARGS', `The user name "${name}" is a built-in Windows account: choose another name`);
  return name;
}

/** Checks a clear password without ever putting it in a message. */
export function checkPassword(password: string): string {
  if (password.length === 0) throw new SevenStickError('E_ARGS', 'The password is empty: the administrator account needs a password');
  if (password.length > 127) throw new SevenStickError('E_ARGS', `The password is longer than Windows allows (${password.length} characters, at most 127)`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) throw new SevenStickError('E_ARGS', 'The password contains a control character (a line break, a tab, …)');
  return password;
}

/** Wraps a format check as a validator, so its message names the preset's field. */
const checked =
  (check: (s: string) => string, max: number): Validator<string> =>
  (v, where) => {
    const s = nonEmpty(str(max))(v, where);
    try {
      return check(s);
    } catch (e) {
      throw new ValidationError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

const matching =
  (re: RegExp, what: string, max: number): Validator<string> =>
  (v, where) => {
    const s = nonEmpty(str(max))(v, where);
    if (!re.test(s)) throw new ValidationError(`${where}: expected ${what}`);
    return s;
  };

const languageTag = matching(/^[a-z]{2,3}(-[A-Za-z]{4})?-[A-Z]{2}$/, 'a language tag like en-US', 16);
const klid = matching(/^[0-9a-fA-F]{8}$/, 'a keyboard layout ID of 8 hex digits, like 00000409', 8);
// eslint-disable-next-line no-control-regex
const displayText = matching(/^[^\u0000-\u001f\u007f]+$/, 'text without control characters', 256);

const editionChoice: Validator<EditionChoice> = (v, where) => {
  if (v === 'ask') return 'ask';
  if (typeof v === 'object' && v !== null && 'index' in v) return object<{ index: number }>({ index: uint })(v, where);
  if (typeof v === 'object' && v !== null && 'name' in v) return object<{ name: string }>({ name: nonEmpty(str(256)) })(v, where);
  throw new ValidationError(`${where}: expected "ask", {"index": N} or {"name": "…"}`);
};

const passwordSource: Validator<PasswordSource> = (v, where) => {
  const from = (v as { from?: unknown } | null)?.from;
  if (from === 'prompt') return object<{ from: 'prompt' }>({ from: oneOf('prompt') })(v, where);
  if (from === 'file') return object<{ from: 'file'; passwordFile: string }>({ from: oneOf('file'), passwordFile: nonEmpty(str()) })(v, where);
  if (from === 'preset') {
    return object<{ from: 'preset'; wsimEncoded: string }>({ from: oneOf('preset'), wsimEncoded: matching(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 text', 1024) })(v, where);
  }
  throw new ValidationError(`${where}.from: expected one of prompt, file, preset`);
};

const partitioning: Validator<Partitioning> = (v, where) => {
  const mode = (v as { mode?: unknown } | null)?.mode;
  if (mode === 'ask') return object<{ mode: 'ask' }>({ mode: oneOf('ask') })(v, where);
  if (mode === 'wipe-disk-0') {
    const p = object<{ mode: 'wipe-disk-0'; firmware: 'bios' | 'uefi'; confirmed: string }>({
      mode: oneOf('wipe-disk-0'),
      firmware: oneOf('bios', 'uefi'),
      confirmed: str(64),
    })(v, where);
    if (p.confirmed !== WIPE_DISK_0_CONFIRMATION) {
      throw new ValidationError(`${where}.confirmed: erasing disk 0 needs the exact words "${WIPE_DISK_0_CONFIRMATION}"`);
    }
    return p;
  }
  throw new ValidationError(`${where}.mode: expected one of ask, wipe-disk-0`);
};

const presetShape: Validator<Preset> = object<Preset>({
  version: (v, where) => {
    if (v !== PRESET_VERSION) throw new ValidationError(`${where}: this SevenStick reads presets of version ${PRESET_VERSION}`);
    return PRESET_VERSION;
  },
  edition: editionChoice,
  showEveryEdition: bool,
  language: languageTag,
  locale: languageTag,
  keyboard: klid,
  timeZone: nullable(displayText),
  computerName: nullable(checked(checkComputerName, 15)),
  account: nullable(
    object<PresetAccount>({
      name: checked(checkUserName, 20),
      displayName: nullable(displayText),
      password: passwordSource,
    }),
  ),
  productKey: nullable(checked(checkProductKey, 29)),
  acceptEula: bool,
  oobe: object<Preset['oobe']>({
    networkLocation: oneOf<NetworkLocation>('home', 'work', 'public', 'ask'),
    updates: oneOf<UpdateSetting>('recommended', 'important', 'off', 'ask'),
  }),
  partitioning,
});

/** Validates a parsed preset (exact keys, formats). Throws E_ARGS naming the field (`settings.timeZone` when `label` is "settings"). */
export function validatePreset(doc: unknown, label: 'preset' | 'settings' = 'preset'): Preset {
  try {
    const p = presetShape(doc, label);
    return { ...p, keyboard: p.keyboard.toLowerCase() };
  } catch (e) {
    if (e instanceof ValidationError) throw new SevenStickError('E_ARGS', `Bad ${label}: ${e.message}`);
    throw e;
  }
}

/** Parses preset JSON text; a syntax error is bad input (E_ARGS). */
export function parsePreset(text: string): Preset {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SevenStickError('E_ARGS', `Bad preset: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return validatePreset(doc);
}

/** The preset as a file: stable key order (the type's), two-space indent, final newline. */
export function serializePreset(preset: Preset): string {
  return JSON.stringify(validatePreset(preset), null, 2) + '\n';
}

/** A preset with every answer at its "setup asks" or safe value, for `language` (and the same locale). */
export function defaultPreset(language: string, keyboard: string): Preset {
  return {
    version: PRESET_VERSION,
    edition: 'ask',
    showEveryEdition: false,
    language,
    locale: language,
    keyboard,
    timeZone: null,
    computerName: null,
    account: null,
    productKey: null,
    acceptEula: false,
    oobe: { networkLocation: 'public', updates: 'recommended' },
    partitioning: { mode: 'ask' },
  };
}
