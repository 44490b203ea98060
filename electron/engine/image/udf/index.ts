/**
 * UDF reader (ECMA-167 + OSTA UDF 1.02–2.60) for optical images with 2048-byte sectors.
 * Anchor (sector 256, else last sector, else last − 256) → volume descriptor sequence (main, then
 * reserve; sequence.ts: partitions + logical volume, type 1 maps, type 2 metadata partitions) → the
 * volume (volume.ts: blocks and file entries through the partition maps) → root ICB → file entries and
 * file identifier descriptors (here). Every loop is bounded and every descriptor's tag is checked.
 */
import { SevenStickError, formatError } from '../../io/errors.js';
import { ExtentReader, type ByteReader, type Extent } from '../../io/reader.js';
import { lookupPath, type FsNode, type ImageFileSystem } from '../fs.js';
import { AnchorPointer } from './descriptors.js';
import { decodeCs0 } from './dstring.js';
import { FidFlag, FileIdentifier, fidSize } from './fid.js';
import { FileType, LongAd } from './file-entry.js';
import { openVolume, type OpenedVolume, type UdfInfo } from './sequence.js';
import { TagId, checkTag } from './tag.js';
import { UDF_SECTOR, sectorsOf, type Icb, type UdfVolume } from './volume.js';

export { UDF_SECTOR };
export type { UdfInfo, UdfPartitionMapInfo } from './sequence.js';

/** Bounds against hostile images. */
const MAX_DIR_BYTES = 64 * 1024 * 1024;
const MAX_VRS_SECTORS = 64;

/** Recognition sequence (ECMA-167 2/9): NSR02/NSR03 among the descriptors from sector 16. */
export async function detectUdf(reader: ByteReader): Promise<2 | 3 | undefined> {
  const known = new Set(['CD001', 'CDW02', 'BEA01', 'TEA01', 'BOOT2', 'NSR02', 'NSR03']);
  for (let i = 0; i < MAX_VRS_SECTORS; i++) {
    const at = (16 + i) * UDF_SECTOR;
    if (at + UDF_SECTOR > reader.size) return undefined;
    const id = (await reader.read(at, 8)).toString('latin1', 1, 6);
    if (id === 'NSR02') return 2;
    if (id === 'NSR03') return 3;
    if (!known.has(id)) return undefined;
  }
  return undefined;
}

interface DirEntry {
  name: string;
  icb: Icb;
  isDirectory: boolean;
}

class UdfNode implements FsNode {
  constructor(
    readonly name: string,
    readonly path: string,
    readonly isDirectory: boolean,
    readonly size: number,
    readonly mtime: Date,
    readonly extents: readonly Extent[],
    readonly icb: Icb,
  ) {}
}

export class UdfFileSystem implements ImageFileSystem {
  readonly kind = 'udf';
  readonly reader: ByteReader;
  private constructor(
    private readonly volume: UdfVolume,
    readonly info: UdfInfo,
    readonly label: string,
    readonly root: FsNode,
  ) {
    this.reader = volume.reader;
  }

  /** Opens the UDF volume in `reader` (E_FORMAT if there is none or it is malformed). */
  static async open(reader: ByteReader): Promise<UdfFileSystem> {
    const nsr = await detectUdf(reader);
    if (nsr === undefined) throw formatError(`${reader.label}: no UDF volume recognition sequence`);
    const last = sectorsOf(reader) - 1;
    let anchor: { sector: number; buf: Buffer } | undefined;
    for (const sector of [256, last, last - 256]) {
      if (sector < 0 || sector > last) continue;
      const buf = await reader.read(sector * UDF_SECTOR, UDF_SECTOR);
      try {
        checkTag(buf, 0, 'anchor volume descriptor pointer', { tagId: TagId.AnchorPointer, location: sector });
        anchor = { sector, buf };
        break;
      } catch {
        // try the next anchor position
      }
    }
    if (!anchor) throw formatError(`${reader.label}: no valid UDF anchor at sector 256, the last sector or last − 256`);
    const avdp = AnchorPointer.decode(anchor.buf);
    let lastErr: unknown;
    for (const [which, loc, len] of [
      ['main', avdp.mainLocation, avdp.mainLength],
      ['reserve', avdp.reserveLocation, avdp.reserveLength],
    ] as const) {
      try {
        return UdfFileSystem.fromVolume(await openVolume(reader, nsr, anchor.sector, which, loc, len));
      } catch (e) {
        if (!(e instanceof SevenStickError) || e.code === 'E_IO') throw e;
        lastErr = e;
      }
    }
    throw lastErr;
  }

  private static fromVolume({ volume, info, rootIcb, rootFe }: OpenedVolume): UdfFileSystem {
    const root = new UdfNode('', '', true, 0, rootFe.mtime, rootFe.extents, rootIcb);
    return new UdfFileSystem(volume, info, info.logicalVolumeIdentifier || info.volumeIdentifier, root);
  }

  private async readDirEntries(dir: FsNode): Promise<DirEntry[]> {
    if (!dir.isDirectory) throw new SevenStickError('E_ARGS', `${dir.path} is not a folder`);
    const total = dir.extents.reduce((s, e) => s + e.length, 0);
    if (total > MAX_DIR_BYTES) throw new SevenStickError('E_LIMIT', `UDF folder ${dir.path || '/'} is implausibly large`);
    const buf = await new ExtentReader(this.reader, dir.extents).read(0, total);
    const out: DirEntry[] = [];
    let pos = 0;
    while (pos < buf.length) {
      if (pos + FileIdentifier.size > buf.length) break;
      const where = `file identifier in ${dir.path || '/'}`;
      checkTag(buf, pos, where, { tagId: TagId.FileIdentifier });
      const f = FileIdentifier.decode(buf, pos);
      const size = fidSize(f.lengthOfImplementationUse, f.lengthOfFileIdentifier);
      if (pos + size > buf.length + 3) throw formatError(`UDF ${where}: entry runs past the folder`);
      const flags = f.characteristics;
      if (!(flags & (FidFlag.Deleted | FidFlag.Parent))) {
        const nameAt = pos + FileIdentifier.size + f.lengthOfImplementationUse;
        const name = decodeCs0(buf, nameAt, f.lengthOfFileIdentifier);
        if (name === '' || name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
          throw formatError(`UDF ${where}: invalid file name`);
        }
        const ad = LongAd.decode(f.icb);
        out.push({ name, icb: { partition: ad.partition, block: ad.block }, isDirectory: (flags & FidFlag.Directory) !== 0 });
      }
      pos += size;
    }
    return out;
  }

  private async nodeFor(dir: FsNode, e: DirEntry): Promise<FsNode> {
    const path = dir.path ? `${dir.path}/${e.name}` : e.name;
    const fe = await this.volume.readFileEntry(e.icb, `entry of ${path}`);
    const isDir = fe.fileType === FileType.Directory;
    if (isDir !== e.isDirectory) throw formatError(`UDF: ${path} is marked a ${e.isDirectory ? 'folder' : 'file'} but its entry says otherwise`);
    return new UdfNode(e.name, path, isDir, isDir ? 0 : fe.size, fe.mtime, fe.extents, e.icb);
  }

  async list(dir: FsNode): Promise<FsNode[]> {
    const entries = await this.readDirEntries(dir);
    const out: FsNode[] = [];
    for (const e of entries) out.push(await this.nodeFor(dir, e));
    return out;
  }

  lookup(path: string): Promise<FsNode | undefined> {
    // Only the matching entry's File Entry is read, not every sibling's.
    return lookupPath(this.root, path, async (dir, want) => {
      const e = (await this.readDirEntries(dir)).find((x) => x.name.toLowerCase() === want);
      return e && this.nodeFor(dir, e);
    });
  }

  open(file: FsNode): ByteReader {
    return new ExtentReader(this.reader, file.extents, `${file.path} in ${this.reader.label}`);
  }

  /** Identity of a node's ICB, for cycle detection in walks. */
  static nodeKey(node: FsNode): string | undefined {
    return node instanceof UdfNode ? `udf:${node.icb.partition}:${node.icb.block}` : undefined;
  }
}
