/**
 * ISO 9660 reader with Joliet (UCS-2 names from the supplementary volume descriptor).
 * Directory records never cross a sector boundary (ECMA-119 6.8.1.1): a zero length byte means
 * "continue at the next sector". Multi-extent files (flag 0x80) are joined into one node.
 */
import { SevenStickError, formatError } from '../../io/errors.js';
import { ExtentReader, type ByteReader, type Extent } from '../../io/reader.js';
import { lookupPath, type FsNode, type ImageFileSystem } from '../fs.js';
import { DirFlag, DirectoryRecord, ISO_SECTOR, VD_START_SECTOR, VdType, VolumeDescriptor, decodeRecordingDate } from './descriptors.js';

export { readElTorito, type ElTorito, type ElToritoEntry } from './eltorito.js';
export { ISO_SECTOR } from './descriptors.js';

const MAX_VDS = 64;
const MAX_DIR_BYTES = 64 * 1024 * 1024;
const MAX_EXTENTS_PER_FILE = 4096;

export interface Iso9660Info {
  /** Primary volume identifier. */
  volumeId: string;
  /** Joliet volume identifier, when there is a Joliet descriptor. */
  jolietVolumeId?: string;
  joliet: boolean;
  /** Joliet level 1–3 from the escape sequence, when present. */
  jolietLevel?: 1 | 2 | 3;
  volumeSpaceSize: number;
  elTorito: boolean;
}

interface Descriptors {
  primary?: Buffer;
  joliet?: { buf: Buffer; level: 1 | 2 | 3 };
  bootRecord: boolean;
}

/** Reads the volume descriptor set from sector 16 (undefined when there is no CD001 there). */
export async function readVolumeDescriptors(reader: ByteReader): Promise<Descriptors | undefined> {
  const out: Descriptors = { bootRecord: false };
  for (let i = 0; i < MAX_VDS; i++) {
    const at = (VD_START_SECTOR + i) * ISO_SECTOR;
    if (at + ISO_SECTOR > reader.size) break;
    const buf = await reader.read(at, ISO_SECTOR);
    const d = VolumeDescriptor.decode(buf);
    if (d.standardId !== 'CD001') break;
    if (d.type === VdType.Terminator) break;
    if (d.type === VdType.Primary && !out.primary) out.primary = buf;
    else if (d.type === VdType.BootRecord) out.bootRecord = true;
    else if (d.type === VdType.Supplementary && !out.joliet) {
      const esc = d.escapeSequences.toString('latin1', 0, 3);
      const level = esc === '%/@' ? 1 : esc === '%/C' ? 2 : esc === '%/E' ? 3 : undefined;
      if (level) out.joliet = { buf, level };
    }
  }
  return out.primary || out.joliet ? out : undefined;
}

class IsoNode implements FsNode {
  constructor(
    readonly name: string,
    readonly path: string,
    readonly isDirectory: boolean,
    readonly size: number,
    readonly mtime: Date,
    readonly extents: readonly Extent[],
    /** Sector of the (first) extent: the identity of a directory. */
    readonly sector: number,
  ) {}
}

function trimId(buf: Buffer, joliet: boolean): string {
  if (joliet) {
    const b = Buffer.from(buf.subarray(0, buf.length & ~1));
    b.swap16();
    return b.toString('utf16le').replace(/[\0 ]+$/, '');
  }
  return buf.toString('latin1').replace(/[\0 ]+$/, '');
}

export class Iso9660FileSystem implements ImageFileSystem {
  readonly kind = 'iso9660';
  private constructor(
    readonly reader: ByteReader,
    readonly info: Iso9660Info,
    readonly label: string,
    readonly root: FsNode,
    /** Whether names come from the Joliet tree. */
    readonly joliet: boolean,
  ) {}

  /** Opens the Joliet tree when `preferJoliet` and there is one, else the primary tree. */
  static async open(reader: ByteReader, preferJoliet = true): Promise<Iso9660FileSystem> {
    const vds = await readVolumeDescriptors(reader);
    if (!vds) throw formatError(`${reader.label}: no ISO 9660 volume descriptors`);
    const useJoliet = preferJoliet && vds.joliet !== undefined;
    const vd = useJoliet ? (vds.joliet as { buf: Buffer }).buf : (vds.primary as Buffer);
    const d = VolumeDescriptor.decode(vd);
    if (d.logicalBlockSize !== ISO_SECTOR) {
      throw new SevenStickError('E_UNSUPPORTED', `ISO 9660 logical block size ${d.logicalBlockSize} is not supported`);
    }
    if (d.volumeSpaceSize * ISO_SECTOR > reader.size) {
      throw formatError(`${reader.label} is truncated: its volume is ${d.volumeSpaceSize * ISO_SECTOR} bytes, the file has ${reader.size}`, {
        path: reader.label,
      });
    }
    const primaryId = vds.primary ? trimId(VolumeDescriptor.decode(vds.primary).volumeId, false) : '';
    const jolietId = vds.joliet ? trimId(VolumeDescriptor.decode(vds.joliet.buf).volumeId, true) : undefined;
    const info: Iso9660Info = {
      volumeId: primaryId,
      joliet: vds.joliet !== undefined,
      volumeSpaceSize: d.volumeSpaceSize,
      elTorito: vds.bootRecord,
    };
    if (jolietId !== undefined) info.jolietVolumeId = jolietId;
    if (vds.joliet) info.jolietLevel = vds.joliet.level;
    const rootRec = DirectoryRecord.decode(d.rootDirectoryRecord);
    if (!(rootRec.flags & DirFlag.Directory)) throw formatError('ISO 9660 root directory record is not a directory');
    const root = new IsoNode('', '', true, 0, decodeRecordingDate(d.rootDirectoryRecord, 18), Iso9660FileSystem.extentsOf(reader, [rootRec]), rootRec.extent);
    return new Iso9660FileSystem(reader, info, (useJoliet ? jolietId : primaryId) || primaryId, root, useJoliet);
  }

  private static extentsOf(reader: ByteReader, recs: { extent: number; dataLength: number; extAttrLength: number }[]): Extent[] {
    return recs
      .filter((r) => r.dataLength > 0)
      .map((r) => {
        const offset = (r.extent + r.extAttrLength) * ISO_SECTOR;
        if (offset + r.dataLength > reader.size) {
          throw new SevenStickError('E_RANGE', `ISO 9660 extent at sector ${r.extent} lies past the end of the image (truncated image?)`, { offset });
        }
        return { offset, length: r.dataLength };
      });
  }

  async list(dir: FsNode): Promise<FsNode[]> {
    if (!dir.isDirectory) throw new SevenStickError('E_ARGS', `${dir.path} is not a folder`);
    const total = dir.extents.reduce((s, e) => s + e.length, 0);
    if (total > MAX_DIR_BYTES) throw new SevenStickError('E_LIMIT', `ISO 9660 folder ${dir.path || '/'} is implausibly large`);
    const buf = await new ExtentReader(this.reader, dir.extents).read(0, total);
    const out: FsNode[] = [];
    let pending: { name: string; recs: ReturnType<typeof DirectoryRecord.decode>[]; date: Date } | undefined;
    let pos = 0;
    while (pos < buf.length) {
      const len = buf[pos] as number;
      if (len === 0) {
        pos = (Math.floor(pos / ISO_SECTOR) + 1) * ISO_SECTOR;
        continue;
      }
      const recEnd = pos + len;
      if (len < DirectoryRecord.size || recEnd > buf.length || Math.floor(pos / ISO_SECTOR) !== Math.floor((recEnd - 1) / ISO_SECTOR)) {
        throw formatError(`ISO 9660 folder ${dir.path || '/'}: malformed directory record at +${pos}`);
      }
      const r = DirectoryRecord.decode(buf, pos);
      if (DirectoryRecord.size + r.nameLength > len) throw formatError(`ISO 9660 folder ${dir.path || '/'}: name runs past its record`);
      const rawName = buf.subarray(pos + DirectoryRecord.size, pos + DirectoryRecord.size + r.nameLength);
      const date = decodeRecordingDate(buf, pos + DirectoryRecord.offsetOf('date'));
      pos = recEnd;
      // "." and ".." are single bytes 0 and 1; associated files (Apple resource forks) are not files of their own.
      if ((r.nameLength === 1 && (rawName[0] === 0 || rawName[0] === 1)) || r.flags & DirFlag.Associated) {
        continue;
      }
      let name = this.joliet ? trimId(rawName, true) : rawName.toString('latin1');
      if (!(r.flags & DirFlag.Directory)) {
        const semi = name.lastIndexOf(';');
        if (semi >= 0) name = name.slice(0, semi);
        if (name.endsWith('.')) name = name.slice(0, -1);
      }
      if (name === '' || name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
        throw formatError(`ISO 9660 folder ${dir.path || '/'}: invalid file name`);
      }
      if (pending && pending.name === name) {
        pending.recs.push(r);
        if (pending.recs.length > MAX_EXTENTS_PER_FILE) throw new SevenStickError('E_LIMIT', `ISO 9660: ${name} has too many extents`);
      } else {
        if (pending) throw formatError(`ISO 9660 folder ${dir.path || '/'}: multi-extent file ${pending.name} is cut short`);
        pending = { name, recs: [r], date };
      }
      if (r.flags & DirFlag.MultiExtent) continue;
      const recs = pending.recs;
      pending = undefined;
      const isDir = (r.flags & DirFlag.Directory) !== 0;
      if (isDir && recs.length > 1) throw formatError(`ISO 9660: folder ${name} has several extents`);
      const path = dir.path ? `${dir.path}/${name}` : name;
      const extents = Iso9660FileSystem.extentsOf(this.reader, recs);
      const size = recs.reduce((s, x) => s + x.dataLength, 0);
      out.push(new IsoNode(name, path, isDir, isDir ? 0 : size, date, extents, (recs[0] as { extent: number }).extent));
    }
    if (pending) throw formatError(`ISO 9660 folder ${dir.path || '/'}: multi-extent file ${pending.name} is cut short`);
    return out;
  }

  lookup(path: string): Promise<FsNode | undefined> {
    return lookupPath(this.root, path, async (dir, want) => (await this.list(dir)).find((x) => x.name.toLowerCase() === want));
  }

  open(file: FsNode): ByteReader {
    return new ExtentReader(this.reader, file.extents, `${file.path} in ${this.reader.label}`);
  }

  static nodeKey(node: FsNode): string | undefined {
    return node instanceof IsoNode ? `iso:${node.sector}` : undefined;
  }
}
