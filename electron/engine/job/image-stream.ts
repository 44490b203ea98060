/**
 * Which stream a write job writes: the Windows stick layout (from the `layout` area) or a byte-for-byte
 * copy of a hybrid/raw image. `auto` asks the image what it is.
 */
import { SevenStickError } from '../io/errors.js';
import { FileReader, type ClosableReader } from '../io/reader.js';
import { rawStreamOf, type DiskImageStream } from '../device/stream.js';

export type WriteMode = 'auto' | 'windows' | 'raw';

export interface ImageStream {
  stream: DiskImageStream;
  mode: 'windows' | 'raw';
  close(): Promise<void>;
}

export interface StreamRequest {
  image: string;
  mode: WriteMode;
  /** Size of the smallest target: the layout's filesystem fills it. */
  targetSize: number;
  vhd: boolean;
}

/** Hybrid ISOs and disk images carry an MBR boot signature and a partition entry in sector 0. */
async function looksRaw(reader: ClosableReader): Promise<boolean> {
  if (reader.size < 512) return true;
  const s0 = await reader.read(0, 512);
  const hasMbr = s0.readUInt16LE(510) === 0xaa55;
  if (reader.size < 0x8006) return true;
  const iso = (await reader.read(0x8001, 5)).toString('latin1') === 'CD001';
  return hasMbr || !iso;
}

export type StreamFactory = (req: StreamRequest) => Promise<ImageStream>;

/** Opens the image and builds the stream for the chosen mode. */
export const openImageStream: StreamFactory = async (req) => {
  const reader = await FileReader.open(req.image);
  try {
    const mode = req.mode === 'auto' ? ((await looksRaw(reader)) ? 'raw' : 'windows') : req.mode;
    if (mode === 'raw') {
      if (req.vhd) throw new SevenStickError('E_UNSUPPORTED', 'A .vhd target needs windows mode; raw images are copied byte for byte to a drive or a .img file');
      return { stream: rawStreamOf(reader), mode, close: () => reader.close() };
    }
    throw new SevenStickError('E_UNSUPPORTED', `${req.image}: the Windows stick layout is not part of this build yet`, { path: req.image });
  } catch (e) {
    await reader.close();
    throw e;
  }
};
