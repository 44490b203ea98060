/**
 * Re-verify a stick later, from the stick and the ISO alone: our FAT32 reader walks the stick; every
 * ISO file must be there with the same bytes, efi/boot/bootx64.efi must follow the loader rule
 * (resolveUefiLoader): exactly bootmgfw.efi from install.wim image 1, SHA-1 checked against the ISO's
 * WIM, or absent when the ISO cannot give one (a loader there is then a failure), and the boot code (MBR code, the boot
 * sector's code around the BPB, stage 2) must be ours. Files Windows adds by itself are extras, not
 * failures. Raw (hybrid) images are compared byte for byte.
 */
import { SevenStickError } from '../io/errors.js';
import { BufferReader, FileReader, type ByteReader } from '../io/reader.js';
import { inspectImage } from '../image/inspect.js';
import { openFileSystem, walk } from '../image/index.js';
import type { FsNode, ImageFileSystem } from '../image/fs.js';
import { BOOTX64_PATH, biosOnlyParams } from '../image/uefi-loader.js';
import { readWindowsMediaAndLoader } from '../image/windows-media.js';
import { RESERVED_SECTORS } from '../layout/geometry.js';
import { planDisk } from '../layout/plan.js';
import { sourceFromImageFs } from '../layout/source.js';
import { bootSectors, diskStream } from '../layout/stream.js';
import { BPB_END, SECTOR } from '../layout/fat32/bpb.js';
import { Mbr } from '../layout/mbr.js';
import { ProgressMeter, type ProgressListener } from '../io/progress.js';
import type { Drive } from '../device/drive.js';
import { DeviceReader } from '../verify/device-reader.js';
import { Fat32Reader, type FatNode } from '../verify/fat32.js';
import { verifyTargetAgainstStream } from '../verify/stream-verify.js';
import { createRawStream } from './raw-stream.js';
import { MAX_ANSWER_FILE_BYTES } from '../image/unattend/read.js';
import { INSTALL_WIM_PATH } from '../image/wim/source.js';
import { AUTOUNATTEND_PATH, EI_CFG_PATH, MANIFEST_PATH, encodeManifest, parseManifest, sha256Hex, slimInstallWim } from './windows-customization.js';

export type StickProblem = 'missing' | 'different' | 'size' | 'type' | 'boot-code';

/**
 * Each failure's message as a code, for the user's language (shared/i18n/phrases.ts), with its params:
 * `path` (a file on the stick), `stickBytes`/`imageBytes`/`sizeBytes` (numbers), `offset`, `count`,
 * `what` (the layout's English description of a region), `onStick`/`inImage` ('file' or 'folder'),
 * `issue` (manifest-invalid: notSmall, notJson, notVersion, notCanonical; `version`), `edition`,
 * `detail` (an engine error message, English), `sha256`; bootx64-unconfirmed: `reason` (a BiosOnlyReason)
 * and that reason's params.
 */
export type StickProblemCode =
  | 'missing'
  | 'type'
  | 'size'
  | 'different'
  | 'bytes-differ'
  | 'mbr-code'
  | 'boot-sector-code'
  | 'stage2-code'
  | 'manifest-invalid'
  | 'edition-unavailable'
  | 'ei-cfg-present'
  | 'answer-file-differs'
  | 'bootx64-unconfirmed';

export interface StickFailure {
  path: string;
  problem: StickProblem;
  /** In English (logs, the CLI's JSON); `code` and `params` say it in data. */
  message: string;
  code: StickProblemCode;
  params: Record<string, string | number>;
  /** Offset of the first differing byte within the file (or on the disk, for boot code / raw images). */
  offset?: number;
}

export interface StickExtra {
  path: string;
  /** Whether it is something Windows or macOS adds on its own. */
  known: boolean;
}

export interface StickVerifyResult {
  ok: boolean;
  kind: 'windows' | 'raw';
  target: string;
  files: number;
  bytes: number;
  failures: StickFailure[];
  extras: StickExtra[];
  directIo: boolean;
  /** In English (logs, `--json`). */
  notes: string[];
  /** The same notes with codes and params, for the user's language. */
  notices: StickNote[];
}

/**
 * Something a verify wants said that is not a failure. Codes: `bios-only` (W_BIOS_ONLY's params),
 * `customized` {path, edition (0: all kept), everyEdition, answerFile ('yes'|'no')}, `direct-io` {detail},
 * `boot-code-unchecked` {detail}, `stage2-unchecked`.
 */
export interface StickNote {
  code: 'bios-only' | 'customized' | 'direct-io' | 'boot-code-unchecked' | 'stage2-unchecked';
  message: string;
  params: Record<string, string | number>;
}

/** Folders and files operating systems put on a stick by themselves (matched by first path component). */
export const KNOWN_EXTRAS = ['system volume information', '$recycle.bin', 'recycled', 'recycler', 'wpsettings.dat', 'indexervolumeguid', 'desktop.ini', 'thumbs.db', 'autorun.inf.bak', '.trashes', '.spotlight-v100', '.fseventsd', '.ds_store', '.trash-1000', '._.trashes'];


const COMPARE_CHUNK = 2 * 1024 * 1024;

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Compares two readers; returns the first differing offset or -1. The next pair of reads runs while a pair is compared. */
async function compareReaders(want: ByteReader, got: ByteReader, meter: ProgressMeter | undefined, signal?: AbortSignal): Promise<number> {
  if (want.size !== got.size) return Math.min(want.size, got.size);
  const fetch = (pos: number): Promise<[Buffer, Buffer]> => {
    const n = Math.min(COMPARE_CHUNK, want.size - pos);
    const p = Promise.all([want.read(pos, n), got.read(pos, n)]);
    p.catch(() => undefined); // awaited below
    return p;
  };
  let next = want.size > 0 ? fetch(0) : undefined;
  for (let pos = 0; pos < want.size && next; pos += COMPARE_CHUNK) {
    if (signal?.aborted) throw new SevenStickError('E_CANCELLED', 'Cancelled');
    const [a, b] = await next;
    next = pos + COMPARE_CHUNK < want.size ? fetch(pos + COMPARE_CHUNK) : undefined;
    if (!a.equals(b)) {
      await next?.catch(() => undefined);
      return pos + firstDifference(a, b);
    }
    meter?.add(a.length);
  }
  return -1;
}

/** MBR code, the boot sector's code around the BPB, and stage 2 against what the layout writes. */
async function checkBootCode(fs: ImageFileSystem, fat: Fat32Reader, disk: ByteReader, failures: StickFailure[], notes: StickNote[]): Promise<void> {
  let expected;
  let stage2Sector = -1;
  try {
    const plan = planDisk(await sourceFromImageFs(fs), { targetSize: disk.size, label: fs.label });
    expected = bootSectors(plan);
    // Where the layout puts stage 2: the reserved sector its stream describes as such.
    const layout = diskStream(plan);
    for (let s = 0; s < RESERVED_SECTORS && stage2Sector < 0; s++) {
      if (/stage 2/.test(layout.describe(plan.partitionOffset + s * SECTOR))) stage2Sector = s;
    }
  } catch (e) {
    notes.push({ code: 'boot-code-unchecked', message: `boot code not checked: ${(e as Error).message}`, params: { detail: (e as Error).message } });
    return;
  }
  const mbr = await disk.read(0, SECTOR);
  const codeEnd = Mbr.offsetOf('diskSignature'); // the MBR's code ends where the disk signature starts
  if (!mbr.subarray(0, codeEnd).equals(expected.mbr.subarray(0, codeEnd))) {
    failures.push({ path: 'MBR', problem: 'boot-code', code: 'mbr-code', params: {}, message: 'the MBR boot code is not SevenStick’s', offset: firstDifference(mbr, expected.mbr) });
  }
  const part = fat.partition.startLba * SECTOR;
  const vbr = fat.bootSector;
  const jmpSame = vbr.subarray(0, 3).equals(expected.vbr.subarray(0, 3));
  const codeSame = vbr.subarray(BPB_END, SECTOR).equals(expected.vbr.subarray(BPB_END, SECTOR));
  if (!jmpSame || !codeSame) {
    const at = jmpSame ? BPB_END + firstDifference(vbr.subarray(BPB_END), expected.vbr.subarray(BPB_END)) : firstDifference(vbr, expected.vbr);
    failures.push({ path: 'boot sector', problem: 'boot-code', code: 'boot-sector-code', params: {}, message: 'the partition boot sector’s code is not SevenStick’s', offset: part + at });
  }
  if (expected.stage2.length > 0 && stage2Sector < 0) notes.push({ code: 'stage2-unchecked', message: 'stage 2 boot code not checked: its place is unknown', params: {} });
  if (expected.stage2.length > 0 && stage2Sector >= 0) {
    const stage2At = part + stage2Sector * SECTOR;
    const got = await disk.read(stage2At, expected.stage2.length);
    if (!got.equals(expected.stage2)) {
      failures.push({ path: 'boot code (stage 2)', problem: 'boot-code', code: 'stage2-code', params: {}, message: 'the stage 2 boot code differs', offset: stage2At + firstDifference(got, expected.stage2) });
    }
  }
}


/**
 * What the stick's manifest (sevenstick.json, written with a customized stick) changes in what is
 * expected: install.wim as planSlimWim's bytes (onlyEdition), sources/ei.cfg absent (showAllEditions),
 * autounattend.xml with the recorded SHA-256. Checks the manifest itself, the answer file and the
 * absences here (adding failures); returns the ISO files whose expected bytes differ (null: absent).
 * No manifest: nothing changes, the stick verifies as a plain one.
 */
async function customizedExpectations(
  fs: ImageFileSystem,
  fat: Fat32Reader,
  onStick: ReadonlyMap<string, FatNode>,
  matched: Set<string>,
  failures: StickFailure[],
  notes: StickNote[],
): Promise<{ overrides: Map<string, ByteReader | null> }> {
  const overrides = new Map<string, ByteReader | null>();
  const key = (p: string): string => p.toUpperCase();
  const node = onStick.get(key(MANIFEST_PATH));
  if (!node) return { overrides };
  matched.add(key(MANIFEST_PATH));
  const readSmall = async (n: FatNode, max: number): Promise<Buffer | undefined> => (n.isDirectory || n.size > max ? undefined : (await fat.open(n)).read(0, n.size));
  const bytes = await readSmall(node, 64 * 1024);
  let manifest;
  try {
    if (!bytes) throw new SevenStickError('E_FORMAT', `${MANIFEST_PATH} on the stick is not a small file`, { path: MANIFEST_PATH, issue: 'notSmall' });
    manifest = parseManifest(bytes);
    if (!encodeManifest(manifest).equals(bytes)) throw new SevenStickError('E_FORMAT', `${MANIFEST_PATH} on the stick is not as SevenStick writes it`, { path: MANIFEST_PATH, issue: 'notCanonical' });
  } catch (e) {
    // parseManifest's and the checks above say which issue it is (notJson, notVersion with `version`…).
    const d = e instanceof SevenStickError ? e.details : {};
    const params: Record<string, string | number> = { path: MANIFEST_PATH, issue: typeof d['issue'] === 'string' ? d['issue'] : 'notCanonical' };
    if (typeof d['version'] === 'number') params['version'] = d['version'];
    failures.push({ path: MANIFEST_PATH, problem: 'different', code: 'manifest-invalid', params, message: e instanceof Error ? e.message : String(e) });
    return { overrides };
  }
  const parts = [manifest.onlyEdition ? `only edition ${manifest.edition}` : '', manifest.showAllEditions ? 'every edition shown' : '', manifest.autounattendSha256 ? 'an answer file' : ''].filter((p) => p);
  notes.push({
    code: 'customized',
    message: `${MANIFEST_PATH}: a customized stick${parts.length ? ` (${parts.join(', ')})` : ''}`,
    params: { path: MANIFEST_PATH, edition: manifest.onlyEdition && manifest.edition !== null ? manifest.edition : 0, everyEdition: manifest.showAllEditions ? 'yes' : 'no', answerFile: manifest.autounattendSha256 ? 'yes' : 'no' },
  });
  if (manifest.onlyEdition && manifest.edition !== null) {
    try {
      overrides.set(key(INSTALL_WIM_PATH), await slimInstallWim(fs, manifest.edition));
    } catch (e) {
      if (!(e instanceof SevenStickError) || e.code === 'E_IO') throw e;
      failures.push({
        path: INSTALL_WIM_PATH,
        problem: 'different',
        code: 'edition-unavailable',
        params: { edition: manifest.edition, detail: e.message },
        message: `the manifest says only edition ${manifest.edition} was kept, but the image cannot give it: ${e.message}`,
      });
    }
  }
  if (manifest.showAllEditions) {
    overrides.set(key(EI_CFG_PATH), null);
    if (onStick.has(key(EI_CFG_PATH))) {
      matched.add(key(EI_CFG_PATH));
      failures.push({ path: EI_CFG_PATH, problem: 'different', code: 'ei-cfg-present', params: { path: EI_CFG_PATH }, message: `${EI_CFG_PATH} is on the stick, but it was written to show every edition (without it)` });
    }
  }
  if (manifest.autounattendSha256 !== null) {
    overrides.set(key(AUTOUNATTEND_PATH), null);
    const a = onStick.get(key(AUTOUNATTEND_PATH));
    if (!a) failures.push({ path: AUTOUNATTEND_PATH, problem: 'missing', code: 'missing', params: { path: AUTOUNATTEND_PATH }, message: `${AUTOUNATTEND_PATH} is missing on the stick` });
    else {
      matched.add(key(AUTOUNATTEND_PATH));
      const got = await readSmall(a, MAX_ANSWER_FILE_BYTES);
      if (!got || sha256Hex(got) !== manifest.autounattendSha256) {
        failures.push({ path: AUTOUNATTEND_PATH, problem: 'different', code: 'answer-file-differs', params: { path: AUTOUNATTEND_PATH, sha256: manifest.autounattendSha256 }, message: `${AUTOUNATTEND_PATH} differs from the answer file written (SHA-256 ${manifest.autounattendSha256})` });
      }
    }
  }
  return { overrides };
}

export interface VerifyStickOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** `target` is a path, or a drive already described and checked (the helper's): it is opened as such. */
export async function verifyStick(target: string | Drive, imagePath: string, opts: VerifyStickOptions = {}): Promise<StickVerifyResult> {
  const targetPath = typeof target === 'string' ? target : target.device;
  const info = await inspectImage(imagePath);
  if (info.kind !== 'windows') {
    const reader = await FileReader.open(imagePath);
    try {
      const r = await verifyTargetAgainstStream(target, createRawStream(reader), opts);
      return {
        ok: r.ok,
        kind: 'raw',
        target: targetPath,
        files: 0,
        bytes: r.verifiedBytes,
        failures: r.differences.map((d) => ({
          path: d.what,
          problem: 'different' as const,
          code: 'bytes-differ' as const,
          params: { count: d.length, offset: d.offset, what: d.what },
          message: `${d.length} ${d.length === 1 ? 'byte differs' : 'bytes differ'} at byte ${d.offset} (${d.what})`,
          offset: d.offset,
        })),
        extras: [],
        directIo: r.directIo,
        notes: r.notes,
        notices: r.notes.map((n) => ({ code: 'direct-io' as const, message: n, params: { detail: n } })),
      };
    } finally {
      await reader.close();
    }
  }
  const reader = await FileReader.open(imagePath);
  const disk = await DeviceReader.open(target);
  try {
    const fs = await openFileSystem(reader);
    const fat = await Fat32Reader.open(disk);
    const failures: StickFailure[] = [];
    const notes: StickNote[] = [];
    if (!disk.direct && disk.directNote) notes.push({ code: 'direct-io', message: disk.directNote, params: { detail: disk.directNote } });

    // The stick's tree, by upper-cased path.
    const onStick = new Map<string, FatNode>();
    for await (const n of fat.walk()) onStick.set(n.path.toUpperCase(), n);
    const isoNodes: FsNode[] = [];
    for await (const n of walk(fs, { signal: opts.signal })) isoNodes.push(n);
    const media = await readWindowsMediaAndLoader(fs);
    const loader = media?.loader;
    const bootx64: ByteReader | undefined = loader?.source === 'install.wim' ? new BufferReader(loader.bytes, BOOTX64_PATH) : undefined;
    if (loader?.source === 'none') notes.push({ code: 'bios-only', message: loader.warning, params: biosOnlyParams(loader) });
    const matched = new Set<string>();
    const custom = await customizedExpectations(fs, fat, onStick, matched, failures, notes);
    const expectedSize = (n: FsNode): number => {
      const o = custom.overrides.get(n.path.toUpperCase());
      return n.isDirectory || o === null ? 0 : (o?.size ?? n.size);
    };
    const total = isoNodes.reduce((s, n) => s + expectedSize(n), 0) + (bootx64?.size ?? 0);
    const meter = new ProgressMeter('verifying', total, opts.onProgress, 200, targetPath);
    let files = 0;
    let bytes = 0;

    const compareFile = async (path: string, want: ByteReader, node: FatNode | undefined, isDir: boolean): Promise<void> => {
      const key = path.toUpperCase();
      if (!node) {
        failures.push({ path, problem: 'missing', code: 'missing', params: { path }, message: `${path} is missing on the stick` });
        meter.add(want.size);
        return;
      }
      matched.add(key);
      if (node.isDirectory !== isDir) {
        failures.push({ path, problem: 'type', code: 'type', params: { path, onStick: node.isDirectory ? 'folder' : 'file', inImage: isDir ? 'folder' : 'file' }, message: `${path} is a ${node.isDirectory ? 'folder' : 'file'} on the stick but a ${isDir ? 'folder' : 'file'} in the image` });
        return;
      }
      if (isDir) return;
      files++;
      if (node.size !== want.size) {
        failures.push({ path, problem: 'size', code: 'size', params: { path, stickBytes: node.size, imageBytes: want.size }, message: `${path} is ${node.size} ${node.size === 1 ? 'byte' : 'bytes'} on the stick, ${want.size} in the image`, offset: Math.min(node.size, want.size) });
        meter.add(want.size);
        return;
      }
      const at = await compareReaders(want, await fat.open(node), meter, opts.signal);
      bytes += want.size;
      if (at >= 0) failures.push({ path, problem: 'different', code: 'different', params: { path, offset: at }, message: `${path} differs from the image at byte ${at}`, offset: at });
    };

    for (const n of isoNodes) {
      // The loader rule drops an unusable bootx64.efi of the ISO's own; it is judged below.
      if (loader?.source !== 'iso' && n.path.toUpperCase() === BOOTX64_PATH.toUpperCase()) continue;
      const override = custom.overrides.get(n.path.toUpperCase());
      if (override === null) continue; // must be absent: judged by customizedExpectations
      const want: ByteReader = n.isDirectory ? { size: 0, label: n.path, read: async () => Buffer.alloc(0) } : (override ?? fs.open(n));
      await compareFile(n.path, want, onStick.get(n.path.toUpperCase()), n.isDirectory);
    }
    if (bootx64) {
      await compareFile(BOOTX64_PATH, bootx64, onStick.get(BOOTX64_PATH.toUpperCase()), false);
      for (const p of ['efi', 'efi/boot']) matched.add(p.toUpperCase());
    } else if (loader?.source === 'none' && media?.info.needsBootx64FromWim) {
      const got = onStick.get(BOOTX64_PATH.toUpperCase());
      if (got) {
        matched.add(BOOTX64_PATH.toUpperCase());
        failures.push({
          path: BOOTX64_PATH,
          problem: 'different',
          code: 'bootx64-unconfirmed',
          params: { path: BOOTX64_PATH, sizeBytes: got.size, ...biosOnlyParams(loader) },
          message: `${BOOTX64_PATH} is on the stick (${got.size} ${got.size === 1 ? 'byte' : 'bytes'}), but the image cannot confirm it: ${loader.reason}`,
        });
      }
    }
    meter.finish();
    await checkBootCode(fs, fat, disk, failures, notes);

    // Everything on the stick the image does not explain.
    const extras: StickExtra[] = [];
    for (const [key, n] of onStick) {
      if (matched.has(key)) continue;
      const parentExtra = extras.some((e) => key.startsWith(e.path.toUpperCase() + '/'));
      if (parentExtra) continue;
      const top = (n.path.split('/').pop() ?? '').toLowerCase();
      const first = (n.path.split('/')[0] ?? '').toLowerCase();
      extras.push({ path: n.path, known: KNOWN_EXTRAS.includes(first) || KNOWN_EXTRAS.includes(top) });
    }
    return { ok: failures.length === 0, kind: 'windows', target: targetPath, files, bytes, failures, extras, directIo: disk.direct, notes: notes.map((n) => n.message), notices: notes };
  } finally {
    await disk.close();
    await reader.close();
  }
}
