/**
 * Reading WIM images: header, blob table, XML (xml.ts: the editions it lists), image trees, and file bytes (uncompressed,
 * XPRESS or LZX), SHA-1 checked. Public entry for the rest of the engine.
 *
 *   const wim = await openWim(reader);                 // any ByteReader: a file, or a WIM inside an ISO
 *   wim.imageCount, wim.xmlText, wim.header
 *   const e = await wim.lookup(1, 'Windows/Boot/EFI/bootmgfw.efi');   // case-insensitive, 1-based image
 *   await wim.list(1, 'Windows/Boot'); for await (const x of wim.walk(1)) …
 *   const r = wim.open(e);                             // ByteReader, random access; reading it front to
 *                                                      // back checks the SHA-1 (E_CHECKSUM), r.verified
 *   await wim.readFile(1, path); wim.chunks(e); await wim.extractTo(e, writable); await wim.verifyBlob(e)
 *
 *   const slim = await planSlimWim(wim, 3);            // a WIM of image 3 alone: slim.size up front,
 *   await slim.read(offset, length)                    // bytes produced on the fly (resources copied verbatim)
 */
export * from './header.js';
export { openWim, Wim, BlobReader, type WimEntry, type WimStream } from './wim.js';
export { LzxDecoder, undoE8 } from './lzx.js';
export { XpressDecoder } from './xpress.js';
export { editionsFromWimXml, type WindowsArch, type WindowsEdition } from './xml.js';
export { ResourceReader } from './resource.js';
export { parseBlobTable, type BlobEntry, type BlobTable } from './blobtable.js';
export { encodeBlobTable } from './blobtable-writer.js';
export { encodeResourceHeader, encodeWimHeader, ZERO_RESOURCE, type WimHeaderInit } from './header-writer.js';
export { encodeWimXml, singleImageXmlText, xmlImageElements, type XmlImageElement } from './xml-writer.js';
export { planSlimWim, slimmedSize, slimmedSizes, SlimWim } from './slim.js';
export {
  parseImagePath,
  splitWimSpec,
  openWimInFileSystem,
  findWimFile,
  INSTALL_WIM_PATH,
} from './source.js';
