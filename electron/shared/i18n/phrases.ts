/**
 * The things SevenStick's layers report as codes, said in the user's language: job phases, notices
 * about an image or a drive (Windows 7 warnings, drive safety), verify problems, and error headlines.
 * Every key is written out here (no keys built from strings), so the catalog test can tell which keys
 * the code uses. A notice, problem or error whose code has no message here falls back to the English
 * text it came with.
 *
 * Params (the engine's `params` on notices and problems) become the message's values by one rule:
 *   - a param whose name ends in `Bytes` is a byte count (a number). The message gets it as it is under
 *     its own name (`{sizeBytes}`: "8000000000", for "… bytes" in words) AND, under the name without
 *     `Bytes`, as a size in the user's units through the Translator (`sizeBytes` → `{size}`: "7.45 GiB",
 *     `requiredBytes` → `{required}`, `loaderBytes` → `{loader}`). So no param may be named like the size
 *     of another (no `size` next to `sizeBytes`).
 *   - a param named `reason` is a BIOS-only reason code (uefi-loader's BiosOnlyReason): the message gets
 *     that reason's text (BIOS_ONLY_REASON_KEYS, made with the same params) as `{reason}`.
 *   - everything else (device paths, build numbers, counts, edition lists as strings, select keys such
 *     as `pick` or `issue`) is passed as it is; counts are numbers, for ICU plurals.
 */
import type { IpcError, IpcErrorCode, Notice, Phase, VerifyProblem } from '../contract.js';
import type { MessageKey } from './catalog.js';
import type { MessageValues, Translator } from './translator.js';

export const PHASE_KEYS: Record<Phase, MessageKey> = {
  preparing: 'phase.preparing',
  hashing: 'phase.hashing',
  writing: 'phase.writing',
  flushing: 'phase.flushing',
  verifying: 'phase.verifying',
  'checking-capacity': 'phase.checkingCapacity',
  done: 'phase.done',
};

export function phaseText(tr: Translator, phase: Phase): string {
  return tr.t(PHASE_KEYS[phase]);
}

/**
 * Notice code → message: the Windows 7 warnings (W_*, from the engine's readWindowsMedia; W_HYBRID and
 * W_RAW from main's imageView) and the drive safety constraints (the device layer's codes).
 */
export const NOTICE_KEYS: Readonly<Record<string, MessageKey>> = {
  W_X86_NO_UEFI: 'notice.x86NoUefi',
  W_UEFI_NEEDS_CSM: 'notice.uefiNeedsCsm',
  W_NO_USB3_DRIVERS: 'notice.noUsb3Drivers',
  W_NOT_PROFESSIONAL: 'notice.notProfessional',
  W_MULTI_EDITION: 'notice.multiEdition',
  W_INSTALL_ESD: 'notice.installEsd',
  W_SPLIT_WIM: 'notice.splitWim',
  W_NOT_WINDOWS_7: 'notice.notWindows7',
  W_NO_INSTALL_IMAGE: 'notice.noInstallImage',
  W_WIM_XML_UNREADABLE: 'notice.wimXmlUnreadable',
  W_BIOS_ONLY: 'notice.biosOnly',
  // verify's notes (StickNote): the BIOS-only one has W_BIOS_ONLY's params.
  'bios-only': 'notice.biosOnly',
  customized: 'notice.stickCustomized',
  'direct-io': 'notice.directIoOff',
  'boot-code-unchecked': 'notice.bootCodeUnchecked',
  'stage2-unchecked': 'notice.stage2Unchecked',
  W_FILE_TOO_LARGE: 'notice.fileTooLarge',
  W_HYBRID: 'notice.hybrid',
  W_RAW: 'notice.raw',
  partition: 'notice.partition',
  system: 'notice.systemDrive',
  source: 'notice.holdsSource',
  'read-only': 'notice.readOnly',
  'too-small': 'notice.tooSmall',
  'unknown-size': 'notice.unknownSize',
  large: 'notice.largeDrive',
  'not-removable': 'notice.notRemovable',
};

/** Why a stick boots in BIOS mode only (the engine's BiosOnlyReason): the `{reason}` of W_BIOS_ONLY and bootx64-unconfirmed. */
export const BIOS_ONLY_REASON_KEYS: Readonly<Record<string, MessageKey>> = {
  x86: 'notice.biosOnlyReason.x86',
  arch: 'notice.biosOnlyReason.arch',
  'no-install-wim': 'notice.biosOnlyReason.noInstallWim',
  esd: 'notice.biosOnlyReason.esd',
  'split-wim': 'notice.biosOnlyReason.splitWim',
  'no-uefi-files': 'notice.biosOnlyReason.noUefiFiles',
  'wim-missing': 'notice.biosOnlyReason.wimMissing',
  'no-bootmgfw': 'notice.biosOnlyReason.noBootmgfw',
  'bootmgfw-folder': 'notice.biosOnlyReason.bootmgfwFolder',
  'bootmgfw-empty': 'notice.biosOnlyReason.bootmgfwEmpty',
  'bootmgfw-too-large': 'notice.biosOnlyReason.bootmgfwTooLarge',
  'bootmgfw-sha1': 'notice.biosOnlyReason.bootmgfwSha1',
  'wim-unreadable': 'notice.biosOnlyReason.wimUnreadable',
};

/** Verify problem code (the engine's StickProblemCode) → message. */
export const PROBLEM_KEYS: Readonly<Record<string, MessageKey>> = {
  missing: 'problem.missing',
  type: 'problem.type',
  size: 'problem.size',
  different: 'problem.different',
  'bytes-differ': 'problem.bytesDiffer',
  'mbr-code': 'problem.mbrCode',
  'boot-sector-code': 'problem.bootSectorCode',
  'stage2-code': 'problem.stage2Code',
  'manifest-invalid': 'problem.manifestInvalid',
  'edition-unavailable': 'problem.editionUnavailable',
  'ei-cfg-present': 'problem.eiCfgPresent',
  'answer-file-differs': 'problem.answerFileDiffers',
  'bootx64-unconfirmed': 'problem.bootx64Unconfirmed',
};

/** Error code → headline ("The drive is too small for this image"); the error's message is the detail. */
export const ERROR_KEYS: Readonly<Record<IpcErrorCode, MessageKey>> = {
  E_VERIFY: 'error.verify',
  E_ARGS: 'error.args',
  E_RANGE: 'error.range',
  E_FORMAT: 'error.format',
  E_UNSUPPORTED: 'error.unsupported',
  E_NOT_FOUND: 'error.notFound',
  E_CHECKSUM: 'error.checksum',
  E_FILE_TOO_LARGE: 'error.fileTooLarge',
  E_TARGET_TOO_SMALL: 'error.targetTooSmall',
  E_LIMIT: 'error.limit',
  E_IO: 'error.io',
  E_DEVICE: 'error.device',
  E_BUSY: 'error.busy',
  E_SAFETY: 'error.safety',
  E_CANCELLED: 'error.cancelled',
  E_BAD_REQUEST: 'error.badRequest',
  E_ELEVATION: 'error.elevation',
};

const BYTES_SUFFIX = 'Bytes';

/** A notice's or problem's params as message values, by the rule at the top of this file. */
export function messageValues(tr: Translator, params: Readonly<Record<string, string | number>> = {}): MessageValues {
  const values: Record<string, string | number> = { ...params };
  for (const [name, value] of Object.entries(params)) {
    if (name.length > BYTES_SUFFIX.length && name.endsWith(BYTES_SUFFIX) && typeof value === 'number') values[name.slice(0, -BYTES_SUFFIX.length)] = tr.bytes(value);
  }
  const reason = params['reason'];
  if (reason !== undefined) {
    const key = BIOS_ONLY_REASON_KEYS[String(reason)];
    if (!key) throw new Error(`no message for BIOS-only reason ${String(reason)}`);
    values['reason'] = tr.t(key, values);
  }
  return values;
}

/** The catalog's message for a code, or the English text when there is none or it cannot be made (params missing: an older layer). */
function say(tr: Translator, key: MessageKey | undefined, params: Readonly<Record<string, string | number>> | undefined, english: string): string {
  if (!key) return english;
  try {
    return tr.t(key, messageValues(tr, params));
  } catch {
    return english;
  }
}

/** A notice (Windows 7 warning, drive safety) in the user's language. */
export function noticeText(tr: Translator, n: Pick<Notice, 'code' | 'message'> & { params?: Notice['params'] }): string {
  return say(tr, NOTICE_KEYS[n.code], n.params, n.message);
}

/**
 * An error for a person: a headline in their language, and the detail the layer that failed gave (in
 * English for the engine's own failures: file names, offsets and causes that a log or a bug report needs).
 */
export function errorText(tr: Translator, e: IpcError): { title: string; detail: string } {
  const key: MessageKey | undefined = ERROR_KEYS[e.code];
  return { title: key ? tr.t(key) : e.message, detail: key ? e.message : '' };
}

/** One problem a verify found, in the user's language (English `problem` when its code has no message). */
export function problemText(tr: Translator, p: VerifyProblem): string {
  return say(tr, p.code ? PROBLEM_KEYS[p.code] : undefined, p.params, p.problem);
}

/** How a drive's name reads when the device layer could only describe it by a fixed English phrase. */
const DRIVE_DESCRIPTIONS: Readonly<Record<string, MessageKey>> = {
  'Disk image file': 'drive.imageFile',
  'New disk image file': 'drive.newImageFile',
};

/**
 * A drive's name for people: the model name the OS reports, as it is; else, in the user's language, a
 * loop device by its file, a disk-image file, or a disk named only by its PCI vendor code.
 */
export function driveName(tr: Translator, d: { description: string; bus: string; backingFile?: string | null }): string {
  if (d.bus === 'loop' && d.backingFile) return tr.t('drive.loopOver', { file: d.backingFile });
  const fixed = DRIVE_DESCRIPTIONS[d.description];
  if (fixed) return tr.t(fixed);
  if (/^0x1af4$/i.test(d.description)) return tr.t('drive.virtio');
  return /^0x[0-9a-f]{4}$/i.test(d.description) ? tr.t('drive.noModel', { vendor: d.description }) : d.description;
}
