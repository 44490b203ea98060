/**
 * The top level: a Windows ISO (path or reader) → the planned stick and its sector stream,
 * with efi/boot/bootx64.efi taken from install.wim image 1 for x64 media that lack it.
 */
import { promises as fsp } from 'node:fs';
import { SevenStickError, toSevenStickError } from '../io/errors.js';
import { FileReader, type ByteReader } from '../io/reader.js';
import { openFileSystem } from '../image/index.js';
import { readPartitionTable } from '../image/partition-table.js';
import { readWindowsMedia, type WindowsInfo } from '../image/windows-media.js';
import { openWim } from '../image/wim/wim.js';
import { planDisk, type DiskPlan } from './plan.js';
import { addSourceFile, findSourcePath, sourceFromImageFs, type ImageReadInto } from './source.js';
import { diskStream, type DiskImageStream } from './stream.js';

export const BOOTX64_PATH = 'efi/boot/bootx64.efi';
export const BOOTMGFW_IN_WIM = 'Windows/Boot/EFI/bootmgfw.efi';

export interface StickOptions {
  /** Bytes of the target disk (for a VHD: the virtual disk, without its footer). */
  targetSize: number;
  vhd?: boolean;
  /** Cluster size in bytes instead of Microsoft's default for the size (tests). */
  clusterSize?: number;
}

export interface WindowsStick {
  plan: DiskPlan;
  stream: DiskImageStream;
  windows: WindowsInfo;
  /** Where bootx64.efi came from: the ISO itself, install.wim, or nowhere (BIOS-only stick). */
  uefiBoot: 'iso' | 'install.wim' | 'none';
  /** Things the user should know (UEFI file missing, …), in plain words. */
  warnings: string[];
  /** Closes the image when it was opened from a path (the stream reads it until then). */
  close(): Promise<void>;
}

/**
 * Plans a bootable FAT32 stick for Windows setup media. Throws before anything is written:
 * E_UNSUPPORTED for images that are not Windows media (hybrid images go through createRawStream),
 * E_FILE_TOO_LARGE, E_TARGET_TOO_SMALL.
 */
export async function createWindowsStick(image: string | ByteReader, opts: StickOptions): Promise<WindowsStick> {
  const owned = typeof image === 'string' ? await FileReader.open(image) : undefined;
  const reader: ByteReader = owned ?? (image as ByteReader);
  // A second handle on an image we opened ourselves: reads straight into recycled chunk buffers.
  let handle: fsp.FileHandle | undefined;
  const close = async () => {
    await handle?.close();
    handle = undefined;
    await owned?.close();
  };
  if (typeof image === 'string') {
    try {
      handle = await fsp.open(image, 'r');
    } catch (e) {
      await close();
      throw toSevenStickError(e, 'E_IO', `Cannot open ${image}`, { path: image });
    }
  }
  const h = handle;
  const imageReadInto: ImageReadInto | undefined = h
    ? async (offset, length, buf, at) => {
        let done = 0;
        while (done < length) {
          let n: number;
          try {
            ({ bytesRead: n } = await h.read(buf, at + done, length - done, offset + done));
          } catch (e) {
            throw toSevenStickError(e, 'E_IO', `Read error in ${reader.label} at byte ${offset + done}`, { path: reader.label, offset: offset + done });
          }
          if (n === 0) throw new SevenStickError('E_RANGE', `${reader.label} ended early at byte ${offset + done}`, { path: reader.label, offset: offset + done });
          done += n;
        }
      }
    : undefined;
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
    const windows = await readWindowsMedia(fs);
    if (!windows) {
      const hybrid = (await readPartitionTable(reader)) !== undefined;
      throw new SevenStickError(
        'E_UNSUPPORTED',
        hybrid
          ? `${reader.label} is a hybrid image, not Windows setup media (no sources/install.wim): write it in raw mode (byte for byte)`
          : `${reader.label} is neither Windows setup media (no sources/install.wim, no bootmgr + sources/boot.wim) nor a hybrid image: a stick made from it would not boot`,
        { path: reader.label },
      );
    }
    let tree = await sourceFromImageFs(fs, imageReadInto);
    const warnings: string[] = [];
    let uefiBoot: WindowsStick['uefiBoot'] = findSourcePath(tree, BOOTX64_PATH) ? 'iso' : 'none';
    if (windows.needsBootx64FromWim && windows.installImage && windows.installImage.format !== 'esd') {
      const node = await fs.lookup(windows.installImage.path);
      try {
        if (!node || node.isDirectory) throw new SevenStickError('E_NOT_FOUND', `${windows.installImage.path} is missing`);
        const wim = await openWim(fs.open(node));
        const entry = await wim.lookup(1, BOOTMGFW_IN_WIM);
        if (!entry || entry.isDirectory) throw new SevenStickError('E_NOT_FOUND', `image 1 of ${node.path} has no ${BOOTMGFW_IN_WIM}`);
        tree = addSourceFile(tree, BOOTX64_PATH, {
          name: 'bootx64.efi',
          isDirectory: false,
          size: entry.size,
          mtime: entry.lastWriteTime,
          open: () => wim.open(entry),
        });
        uefiBoot = 'install.wim';
      } catch (e) {
        if (!(e instanceof SevenStickError) || e.code === 'E_IO' || e.code === 'E_CANCELLED') throw e;
        warnings.push(`The stick will boot in BIOS (Legacy/CSM) mode only: could not take the UEFI boot file from ${windows.installImage.path} (${e.message}).`);
      }
    } else if (windows.needsBootx64FromWim) {
      warnings.push('The stick will boot in BIOS (Legacy/CSM) mode only: the UEFI boot file cannot be taken from this install image.');
    }
    const plan = planDisk(tree, { targetSize: opts.targetSize, label: fs.label, vhd: opts.vhd, clusterSize: opts.clusterSize });
    return { plan, stream: diskStream(plan), windows, uefiBoot, warnings, close };
  } catch (e) {
    await close();
    throw e;
  }
}
