/**
 * inspect: what an image is, from its metadata only (well under a second), and on request its
 * SHA-1/SHA-256 matched against the catalog. Result per the CLI contract (README, "Command line").
 */
import { basename, extname } from 'node:path';
import { SevenStickError, formatError } from '../io/errors.js';
import { FileReader, type ByteReader } from '../io/reader.js';
import type { ProgressListener } from '../io/progress.js';
import { loadCatalog, matchCatalog, mismatchCatalog, type Catalog, type CatalogMatch, type CatalogMismatch } from './catalog.js';
import { hashReader } from './checksum.js';
import type { ImageFileSystem } from './fs.js';
import { openFileSystem } from './open.js';
import { Iso9660FileSystem, readElTorito, readVolumeDescriptors, type ElToritoEntry, type Iso9660Info } from './iso9660/index.js';
import { readPartitionTable, type PartitionTable } from './partition-table.js';
import { UdfFileSystem, detectUdf, type UdfInfo } from './udf/index.js';
import { readWindowsMedia, type WindowsInfo } from './windows-media.js';
import { fat32MaxFileSize } from '../io/limits.js';
import { editionsThatFit } from './wim/slim.js';

export interface FilesystemInfo {
  /** The filesystem files are read from (UDF whenever present). */
  type: 'udf' | 'iso9660' | null;
  udf: UdfInfo | null;
  /** The ISO 9660 volume descriptors, also when UDF is the one used. */
  iso9660: Iso9660Info | null;
  joliet: boolean;
  elTorito: ElToritoEntry[];
}

interface InspectBase {
  type: 'result';
  path: string;
  label: string;
  size: number;
  filesystem: FilesystemInfo;
  sha1?: string;
  sha256?: string;
  catalogMatch?: CatalogMatch | null;
  /** With --hash: the file is named like a listed release but its checksums differ (modified), else null. */
  catalogMismatch?: CatalogMismatch | null;
  catalogWarnings?: string[];
}

export type InspectResult =
  | (InspectBase & { kind: 'windows'; windows: WindowsInfo; partitionTable: null })
  | (InspectBase & { kind: 'hybrid'; windows: WindowsInfo | null; partitionTable: PartitionTable })
  | (InspectBase & { kind: 'raw'; windows: null; partitionTable: null });

export interface InspectOptions {
  hash?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Catalog to match against (default: built-in + the user's). */
  catalog?: Catalog;
}

const RAW_EXTENSIONS = new Set(['.img', '.raw', '.bin', '.dd', '.ima']);

/** Inspects an image already open as a reader; `name` (a file name) decides whether a filesystem-less file may be raw. */
export async function inspectReader(reader: ByteReader, name: string, opts: InspectOptions = {}): Promise<InspectResult> {
  if (reader.size === 0) throw formatError(`${reader.label} is empty`);
  if (reader.size < 512) throw formatError(`${reader.label} is too small to be a disk or ISO image (${reader.size} bytes)`);
  const partitionTable = (await readPartitionTable(reader)) ?? null;
  const udfPresent = (await detectUdf(reader)) !== undefined;
  const vds = await readVolumeDescriptors(reader);
  let fs: ImageFileSystem | undefined;
  let iso: Iso9660Info | null = null;
  if (vds) {
    const isoFs = await Iso9660FileSystem.open(reader, true);
    iso = isoFs.info;
    fs = udfPresent ? undefined : isoFs;
  }
  if (udfPresent) fs = await openFileSystem(reader);
  const elTorito = iso?.elTorito ? ((await readElTorito(reader))?.entries ?? []) : [];
  const filesystem: FilesystemInfo = {
    type: fs ? fs.kind : null,
    udf: fs instanceof UdfFileSystem ? fs.info : null,
    iso9660: iso,
    joliet: iso?.joliet ?? false,
    elTorito,
  };
  const windows = fs ? ((await readWindowsMedia(fs)) ?? null) : null;
  if (fs && windows?.installImage?.format === 'wim') {
    // Only for an install.wim FAT32 cannot hold: which editions fit when kept alone (`--only-edition`).
    const node = await fs.lookup(windows.installImage.path);
    const max = fat32MaxFileSize();
    if (node && !node.isDirectory && node.size > max) windows.fitsIfOnlyEdition = await editionsThatFit(fs, max);
  }
  const base = { type: 'result' as const, path: reader.label, label: fs?.label ?? '', size: reader.size, filesystem };
  let result: InspectResult;
  if (partitionTable) result = { ...base, kind: 'hybrid', windows, partitionTable };
  else if (windows) result = { ...base, kind: 'windows', windows, partitionTable: null };
  else if (fs) {
    throw new SevenStickError(
      'E_UNSUPPORTED',
      `${reader.label} is neither Windows setup media nor a hybrid image (it has no sources/install.wim and no partition table), so it would not boot from a USB stick`,
      { path: reader.label },
    );
  } else if (RAW_EXTENSIONS.has(extname(name).toLowerCase()) && reader.size % 512 === 0) {
    result = { ...base, kind: 'raw', windows: null, partitionTable: null };
  } else {
    throw formatError(`${reader.label} is not an image SevenStick can read (no UDF, ISO 9660 or partition table found)`, { path: reader.label });
  }
  if (opts.hash) {
    const d = await hashReader(reader, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    const catalog = opts.catalog ?? loadCatalog();
    result.sha1 = d.sha1;
    result.sha256 = d.sha256;
    result.catalogMatch = matchCatalog(d, catalog);
    result.catalogMismatch = mismatchCatalog(basename(name), d, catalog);
    if (catalog.warnings.length) result.catalogWarnings = catalog.warnings;
  }
  return result;
}

/** Inspects the image file (or block device) at `path`. */
export async function inspectImage(path: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const reader = await FileReader.open(path);
  try {
    return await inspectReader(reader, basename(path), opts);
  } finally {
    await reader.close();
  }
}
