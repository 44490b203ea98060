/**
 * The top level: a Windows ISO (path or reader) → the planned stick and its sector stream,
 * with efi/boot/bootx64.efi taken from install.wim image 1 for x64 media that lack it.
 */
import { SevenStickError } from '../io/errors.js';
import { BufferReader, FileReader, type ByteReader } from '../io/reader.js';
import { openFileSystem } from '../image/index.js';
import { readPartitionTable } from '../image/partition-table.js';
import { BOOTMGFW_IN_WIM, BOOTX64_PATH, biosOnlyParams } from '../image/uefi-loader.js';
import { readWindowsMediaAndLoader, type WindowsInfo, type WindowsWarning } from '../image/windows-media.js';
import type { DiskImageStream } from '../io/disk-stream.js';
import { planDisk, type DiskPlan } from '../layout/plan.js';
import { addSourceFile, findSourcePath, removeSourcePath, sourceFromImageFs, type SourceEntry } from '../layout/source.js';
import type { ImageFileSystem } from '../image/fs.js';
import { diskStream } from '../layout/stream.js';
import { fat32MaxFileSize } from '../io/limits.js';
import { formatBytes } from '../../shared/format.js';
import { editionsThatFit } from '../image/wim/slim.js';
import { INSTALL_WIM_PATH } from '../image/wim/source.js';
import { checkCustomization, customizeTree, type WindowsCustomization } from './windows-customization.js';

export { BOOTMGFW_IN_WIM, BOOTX64_PATH };

export interface StickOptions {
  /** Bytes of the target disk (for a VHD: the virtual disk, without its footer). */
  targetSize: number;
  vhd?: boolean;
  /** Cluster size in bytes instead of Microsoft's default for the size (tests). */
  clusterSize?: number;
  /**
   * The user asked for a stick that boots via UEFI: refuse (E_UNSUPPORTED, before anything is written)
   * instead of making a BIOS-only stick with a warning.
   */
  requireUefi?: boolean;
  /** Answer file, edition, ei.cfg (windows-customization.ts); none: the plain stick, byte for byte as before. */
  windows?: WindowsCustomization;
  /** The largest file FAT32 may hold (default fat32MaxFileSize(): 4 GiB − 1, lowered only by tests). */
  maxFileSize?: number;
}

export interface WindowsStick {
  plan: DiskPlan;
  stream: DiskImageStream;
  windows: WindowsInfo;
  /** Where bootx64.efi came from: the ISO itself, install.wim, or nowhere (BIOS-only stick). */
  uefiBoot: 'iso' | 'install.wim' | 'none';
  /** Things the user should know (UEFI file missing, …), in plain words: the notices' English messages. */
  warnings: string[];
  /** The same warnings as codes with params (W_BIOS_ONLY), for the user's language. */
  notices: WindowsWarning[];
  /** Closes the image when it was opened from a path (the stream reads it until then). */
  close(): Promise<void>;
}

/**
 * Plans a bootable FAT32 stick for Windows setup media. Throws before anything is written:
 * E_UNSUPPORTED for images that are not Windows media (hybrid images go through createRawStream),
 * or when UEFI was required and the stick cannot have a UEFI loader; E_FILE_TOO_LARGE, E_TARGET_TOO_SMALL.
 * efi/boot/bootx64.efi follows resolveUefiLoader's rule: exactly bootmgfw.efi, or absent with a warning.
 */
export async function createWindowsStick(image: string | ByteReader, opts: StickOptions): Promise<WindowsStick> {
  const owned = typeof image === 'string' ? await FileReader.open(image) : undefined;
  const reader: ByteReader = owned ?? (image as ByteReader);
  const close = async () => {
    await owned?.close();
  };
  try {
    let fs;
    try {
      fs = await openFileSystem(reader);
    } catch (e) {
      if (e instanceof SevenStickError && e.code === 'E_FORMAT' && (await readPartitionTable(reader))) {
        throw new SevenStickError('E_UNSUPPORTED', `${reader.label} is a hybrid disk image, not Windows setup media: write it in raw mode (byte for byte)`, {
          path: reader.label,
        });
      }
      throw e;
    }
    const media = await readWindowsMediaAndLoader(fs);
    if (!media) {
      const hybrid = (await readPartitionTable(reader)) !== undefined;
      throw new SevenStickError(
        'E_UNSUPPORTED',
        hybrid
          ? `${reader.label} is a hybrid image, not Windows setup media (no sources/install.wim): write it in raw mode (byte for byte)`
          : `${reader.label} is neither Windows setup media (no sources/install.wim, no bootmgr + sources/boot.wim) nor a hybrid image: a stick made from it would not boot`,
        { path: reader.label },
      );
    }
    const { info: windows, loader } = media;
    let tree = await sourceFromImageFs(fs);
    const notices: WindowsWarning[] = [];
    if (loader.source === 'install.wim') {
      const bytes = loader.bytes;
      tree = addSourceFile(tree, BOOTX64_PATH, {
        name: 'bootx64.efi',
        isDirectory: false,
        size: bytes.length,
        mtime: loader.mtime,
        // The checked bytes themselves: what was planned (and hashed) is what is written and read back.
        open: () => new BufferReader(bytes, `${BOOTMGFW_IN_WIM} from ${loader.wimPath}`),
      });
    } else if (loader.source === 'none') {
      if (opts.requireUefi) {
        throw new SevenStickError('E_UNSUPPORTED', `UEFI boot was asked for, but this stick cannot boot via UEFI: ${loader.reason}`, { path: reader.label });
      }
      // An empty efi/boot/bootx64.efi of the ISO's own would look like a UEFI stick that is not one.
      if (findSourcePath(tree, BOOTX64_PATH)) tree = removeSourcePath(tree, BOOTX64_PATH);
      notices.push({ code: 'W_BIOS_ONLY', message: loader.warning, params: biosOnlyParams(loader) });
    }
    const maxFileSize = opts.maxFileSize ?? fat32MaxFileSize();
    if (opts.windows) {
      checkCustomization(opts.windows, windows);
      tree = await customizeTree(tree, fs, opts.windows);
    }
    await refuseUnslimmedWim(fs, tree, maxFileSize);
    const plan = planDisk(tree, { targetSize: opts.targetSize, label: fs.label, vhd: opts.vhd, clusterSize: opts.clusterSize, maxFileSize });
    return { plan, stream: diskStream(plan), windows, uefiBoot: loader.source, warnings: notices.map((n) => n.message), notices, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * An install.wim too big for FAT32 that would fit with one edition kept: refused (E_FILE_TOO_LARGE)
 * naming the editions that fit, so the user knows `--edition N --only-edition` helps.
 */
async function refuseUnslimmedWim(fs: ImageFileSystem, tree: SourceEntry, maxFileSize: number): Promise<void> {
  const node = findSourcePath(tree, INSTALL_WIM_PATH);
  if (!node || node.isDirectory || node.size <= maxFileSize) return;
  const fits = await editionsThatFit(fs, maxFileSize);
  if (fits.length === 0) return; // planDisk says what to do
  throw new SevenStickError(
    'E_FILE_TOO_LARGE',
    `"${INSTALL_WIM_PATH}" is ${formatBytes(node.size)}: FAT32 cannot hold a file that large. It fits if only edition ${fits.join(' or ')} is kept: write with --edition N --only-edition.`,
    { path: INSTALL_WIM_PATH, size: node.size },
  );
}
