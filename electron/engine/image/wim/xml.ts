/**
 * A WIM's XML description (the IMAGE elements): each image's name, edition, architecture, languages
 * and build, as Windows setup media list their editions.
 */
import { XMLParser } from 'fast-xml-parser';
import { SevenStickError } from '../../io/errors.js';

export type WindowsArch = 'x86' | 'x64' | 'arm' | 'ia64' | 'arm64' | 'unknown';

export interface WindowsEdition {
  index: number;
  name: string;
  editionId: string;
  arch: WindowsArch;
  languages: string[];
  build?: number;
  spBuild?: number;
  spLevel?: number;
}

function archOf(n: number | undefined): WindowsArch {
  switch (n) {
    case 0:
      return 'x86';
    case 9:
      return 'x64';
    case 5:
      return 'arm';
    case 6:
      return 'ia64';
    case 12:
      return 'arm64';
    default:
      return 'unknown';
  }
}

type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
interface XmlObject {
  [k: string]: XmlValue;
}

function asArray(v: XmlValue): XmlValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
function obj(v: XmlValue): XmlObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
function text(v: XmlValue): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  return typeof o['#text'] === 'string' || typeof o['#text'] === 'number' ? String(o['#text']).trim() : undefined;
}
function num(v: XmlValue): number | undefined {
  const t = text(v);
  if (t === undefined || t === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Editions from a WIM's XML document (the IMAGE elements). */
export function editionsFromWimXml(xml: string): WindowsEdition[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, processEntities: true, htmlEntities: false });
  let doc: XmlObject;
  try {
    doc = parser.parse(xml) as XmlObject;
  } catch (e) {
    throw new SevenStickError('E_FORMAT', `The WIM's XML description is malformed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const wim = obj(doc['WIM']);
  const out: WindowsEdition[] = [];
  for (const img of asArray(wim['IMAGE']).slice(0, 1024)) {
    const o = obj(img);
    const w = obj(o['WINDOWS']);
    const ver = obj(w['VERSION']);
    const langs = obj(w['LANGUAGES']);
    const e: WindowsEdition = {
      index: num(o['@INDEX']) ?? out.length + 1,
      name: text(o['NAME']) ?? text(o['DISPLAYNAME']) ?? '',
      editionId: text(w['EDITIONID']) ?? text(o['FLAGS']) ?? '',
      arch: archOf(num(w['ARCH'])),
      languages: asArray(langs['LANGUAGE'])
        .map((l) => text(l))
        .filter((l): l is string => !!l),
    };
    const build = num(ver['BUILD']);
    const spBuild = num(ver['SPBUILD']);
    const spLevel = num(ver['SPLEVEL']);
    if (build !== undefined) e.build = build;
    if (spBuild !== undefined) e.spBuild = spBuild;
    if (spLevel !== undefined) e.spLevel = spLevel;
    out.push(e);
  }
  return out;
}
