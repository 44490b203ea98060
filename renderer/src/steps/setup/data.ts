/** Windows 7's own identifiers (assets/unattend/, the engine's data), bundled into the renderer for the step's lists. */
import locales from '../../../../assets/unattend/locales.json';
import timezones from '../../../../assets/unattend/timezones.json';

export interface Locale {
  tag: string;
  name: string;
  keyboard: string;
  setupLanguage: boolean;
}

export const LOCALES: readonly Locale[] = locales.locales;
export const KEYBOARDS: ReadonlyArray<{ id: string; name: string }> = locales.keyboards;
export const TIME_ZONES: ReadonlyArray<{ id: string; label: string }> = timezones.zones;

/** The keyboard SevenStick proposes for a locale (US English when it knows none). */
export function keyboardFor(tag: string): string {
  return (LOCALES.find((l) => l.tag.toLowerCase() === tag.toLowerCase())?.keyboard ?? '00000409').toLowerCase();
}

/** Display languages the media can install: its own (Windows 7 language packs only). */
export function mediaLanguages(media: string[]): Locale[] {
  const packs = LOCALES.filter((l) => l.setupLanguage);
  const own = packs.filter((l) => media.some((m) => m.toLowerCase() === l.tag.toLowerCase()));
  return own.length > 0 ? own : packs;
}
