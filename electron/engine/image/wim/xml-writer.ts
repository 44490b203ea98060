/**
 * The XML resource of a WIM that keeps one image: the source's XML document with only that
 * image's <IMAGE> element, copied as it is apart from INDEX="1", and the WIM-wide <TOTALBYTES>
 * set to the given value (wimlib writes the offset at which the XML resource starts: everything
 * before it). Stored as UTF-16LE with a BOM, uncompressed, like every WIM XML resource.
 * [wimlib src/xml.c, src/write.c (finish_write: xml_totalbytes)]
 *
 * The document is edited as text, not parsed and re-serialised, so each element keeps its exact
 * spelling (Windows setup reads WINDOWS/EDITIONID, NAME, FLAGS, … from it).
 */
import { SevenStickError } from '../../io/errors.js';

/** A top-level <IMAGE> element: where it sits in the text, and its INDEX attribute if it has one. */
export interface XmlImageElement {
  start: number;
  end: number;
  index: number | undefined;
}

const IMAGE_RE = /<IMAGE\b[^>]*?(?:\/>|>[\s\S]*?<\/IMAGE\s*>)/g;
const INDEX_RE = /\bINDEX\s*=\s*(["'])\s*(\d+)\s*\1/;
const TOTALBYTES_RE = /<TOTALBYTES>\s*\d*\s*<\/TOTALBYTES>/;

export function xmlImageElements(xml: string): XmlImageElement[] {
  const out: XmlImageElement[] = [];
  for (const m of xml.matchAll(IMAGE_RE)) {
    const tag = /^<IMAGE\b[^>]*>/.exec(m[0])![0];
    const idx = INDEX_RE.exec(tag);
    out.push({ start: m.index, end: m.index + m[0].length, index: idx ? Number(idx[2]) : undefined });
  }
  return out;
}

/** The element that describes image `imageIndex`: by its INDEX attribute, or by position when no element has one. */
function pickImage(elements: readonly XmlImageElement[], imageIndex: number): XmlImageElement {
  const indexed = elements.some((e) => e.index !== undefined);
  const hits = indexed ? elements.filter((e) => e.index === imageIndex) : elements.slice(imageIndex - 1, imageIndex);
  if (hits.length !== 1) {
    throw new SevenStickError(
      'E_FORMAT',
      hits.length === 0 ? `The WIM's XML description has no IMAGE element for image ${imageIndex}` : `The WIM's XML description has ${hits.length} IMAGE elements with INDEX="${imageIndex}"`,
    );
  }
  return hits[0]!;
}

/** `xml` with only image `imageIndex` (renumbered 1) and the WIM's TOTALBYTES set to `totalBytes`. */
export function singleImageXmlText(xml: string, imageIndex: number, totalBytes: number): string {
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw new SevenStickError('E_RANGE', `WIM XML: TOTALBYTES ${totalBytes} out of range`);
  const elements = xmlImageElements(xml);
  const keep = pickImage(elements, imageIndex);
  // The text outside the IMAGE elements (where the WIM-wide TOTALBYTES lives), with the kept image in its place.
  const outside: string[] = [];
  let at = 0;
  let keepAt = 0;
  for (const e of elements) {
    outside.push(xml.slice(at, e.start));
    if (e === keep) keepAt = outside.length;
    at = e.end;
  }
  outside.push(xml.slice(at));
  const total = `<TOTALBYTES>${totalBytes}</TOTALBYTES>`;
  const withTotal = outside.findIndex((s) => TOTALBYTES_RE.test(s));
  if (withTotal >= 0) {
    outside[withTotal] = outside[withTotal]!.replace(TOTALBYTES_RE, total);
  } else {
    const wim = /<WIM\b[^>]*>/.exec(outside[0]!);
    if (!wim) throw new SevenStickError('E_FORMAT', "The WIM's XML description does not start with a WIM element");
    outside[0] = outside[0]!.slice(0, wim.index + wim[0].length) + total + outside[0]!.slice(wim.index + wim[0].length);
  }
  const element = xml.slice(keep.start, keep.end);
  const tag = /^<IMAGE\b[^>]*>/.exec(element)![0];
  const newTag = INDEX_RE.test(tag) ? tag.replace(INDEX_RE, 'INDEX="1"') : tag.replace(/^<IMAGE\b/, '<IMAGE INDEX="1"');
  outside.splice(keepAt, 0, newTag + element.slice(tag.length));
  return outside.join('');
}

/** A WIM XML resource's bytes: UTF-16LE with a byte-order mark. */
export function encodeWimXml(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
