/**
 * Which stream a write job writes: the Windows stick layout (layout's createWindowsStick) or a
 * byte-for-byte copy of a hybrid/raw image (createRawStream). `auto` asks inspectImage what it is.
 */
import { SevenStickError } from '../io/errors.js';
import { FileReader } from '../io/reader.js';
import { inspectImage } from '../image/inspect.js';
import type { DiskImageStream } from '../io/disk-stream.js';
import { createRawStream } from './raw-stream.js';
import { createWindowsStick } from './windows-stick.js';
import type { WindowsCustomization } from './windows-customization.js';
import type { WindowsWarning } from '../image/windows-media.js';

export type WriteMode = 'auto' | 'windows' | 'raw';

export interface ImageStream {
  stream: DiskImageStream;
  mode: 'windows' | 'raw';
  /** Things the user should know (e.g. no UEFI boot file), in plain words. */
  warnings?: string[];
  /** The same warnings as codes with params, for the user's language. */
  notices?: WindowsWarning[];
  /** Windows sticks: where efi/boot/bootx64.efi comes from ('none': BIOS only). */
  uefiBoot?: 'iso' | 'install.wim' | 'none';
  close(): Promise<void>;
}

export interface StreamRequest {
  image: string;
  mode: WriteMode;
  /** Size of the smallest target: the layout's filesystem fills it. */
  targetSize: number;
  vhd: boolean;
  /** Refuse a Windows stick that could not boot via UEFI (instead of a BIOS-only stick with a warning). */
  requireUefi?: boolean;
  /** Windows sticks: answer file, edition, ei.cfg (none: the plain stick). */
  windows?: WindowsCustomization;
}

export type StreamFactory = (req: StreamRequest) => Promise<ImageStream>;

/** Opens the image and builds the stream for the chosen mode. */
export const openImageStream: StreamFactory = async (req) => {
  let mode: 'windows' | 'raw';
  if (req.mode === 'auto') {
    const info = await inspectImage(req.image);
    mode = info.kind === 'windows' ? 'windows' : 'raw';
  } else {
    mode = req.mode;
  }
  if (mode === 'raw') {
    if (req.windows) throw new SevenStickError('E_ARGS', 'An answer file or edition choice is for Windows setup media; this image is copied byte for byte');
    if (req.vhd) throw new SevenStickError('E_UNSUPPORTED', 'A .vhd target needs windows mode; raw images are copied byte for byte to a drive or an .img file');
    const reader = await FileReader.open(req.image);
    return { stream: createRawStream(reader), mode, close: () => reader.close() };
  }
  if (!(req.targetSize > 0)) throw new SevenStickError('E_ARGS', 'The target size is unknown: give it with --size');
  const stick = await createWindowsStick(req.image, { targetSize: req.targetSize, vhd: req.vhd, requireUefi: req.requireUefi, ...(req.windows ? { windows: req.windows } : {}) });
  return { stream: stick.stream, mode, warnings: stick.warnings, notices: stick.notices, uefiBoot: stick.uefiBoot, close: () => stick.close() };
};
