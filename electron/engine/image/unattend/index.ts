/**
 * Windows 7 answer files (autounattend.xml): presets, the generator, the bundled identifiers, and the
 * check of an imported file. Only data.ts reads files; everything else is pure.
 */
export {
  PRESET_VERSION,
  WIPE_DISK_0_CONFIRMATION,
  checkComputerName,
  checkPassword,
  checkProductKey,
  checkUserName,
  defaultPreset,
  parsePreset,
  serializePreset,
  validatePreset,
  type EditionChoice,
  type NetworkLocation,
  type Partitioning,
  type PasswordSource,
  type Preset,
  type PresetAccount,
  type UpdateSetting,
} from './preset.js';
export { loadUnattendData, type KeyboardEntry, type LocaleEntry, type TimeZoneEntry, type UnattendData } from './data.js';
export { decodeWsimPassword, encodeWsimPassword, type PasswordElement } from './password.js';
export { UNATTEND_NAMESPACE, generateAnswerFile, resolveEdition, summaryLines, unattendArch, type AnswerFile, type AnswerMedia, type AnswerSummary, type GenerateOptions, type UnattendArch } from './generate.js';
export { MAX_ANSWER_FILE_BYTES, checkImportedAnswerFile, presetFromAnswerFile, readAnswerFile, type AnswerFileFacts, type ImportedAnswerFile } from './read.js';
