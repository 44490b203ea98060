/**
 * Reading images: the filesystem in an ISO (UDF preferred, else Joliet, else ISO 9660),
 * a depth-first walk, El Torito, hybrid detection, Windows media facts and inspect().
 */
export type { FsNode, ImageFileSystem } from './fs.js';
export { openFileSystem, walk, type WalkOptions } from './open.js';
export { UdfFileSystem, detectUdf, type UdfInfo, type UdfPartitionMapInfo } from './udf/index.js';
export { Iso9660FileSystem, readElTorito, type ElTorito, type ElToritoEntry, type Iso9660Info } from './iso9660/index.js';
export { readPartitionTable, parseMbr, type PartitionTable, type MbrPartition } from './partition-table.js';
export { readWindowsMedia, readWindowsMediaAndLoader, parseIni, type WindowsInfo, type WindowsWarning, type WindowsWarningCode } from './windows-media.js';
export { resolveUefiLoader, biosOnlyParams, BIOS_ONLY_PREFIX, MAX_LOADER_BYTES, type BiosOnlyReason, type UefiLoader, type LoaderFacts } from './uefi-loader.js';
export { hashReader, type Digests, type HashOptions } from './checksum.js';
export {
  loadCatalog,
  matchCatalog,
  mismatchCatalog,
  findByName,
  matchChecksum,
  parseCatalog,
  userCatalogPath,
  BUILTIN_CATALOG,
  type Catalog,
  type CatalogEntry,
  type CatalogMatch,
  type CatalogMismatch,
} from './catalog.js';
export { inspectImage, inspectReader, type InspectResult, type InspectOptions, type FilesystemInfo } from './inspect.js';
