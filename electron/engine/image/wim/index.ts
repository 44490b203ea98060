/**
 * Reading WIM images: header, blob table, XML, image trees, and file bytes (uncompressed,
 * XPRESS or LZX), SHA-1 checked. Public entry for the rest of the engine.
 */
export * from './header.js';
export { openWim, Wim, BlobReader, type WimEntry, type WimStream } from './wim.js';
export { LzxDecoder, undoE8 } from './lzx.js';
export { XpressDecoder } from './xpress.js';
export { ResourceReader } from './resource.js';
export { parseBlobTable, type BlobEntry, type BlobTable } from './blobtable.js';
