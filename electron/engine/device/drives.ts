/**
 * The drive list: drivelist (what the OS reports) behind our own layer, which can also describe an
 * explicit path (a block device or a regular file) and take injected test devices — drivelist drops
 * /dev/loop* on Linux. Tests inject devices with SEVENSTICK_TEST_DEVICES=/dev/loop3,/dev/loop4 or
 * setDriveSources().
 */
import { promises as fsp, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SevenStickError } from '../io/errors.js';

export interface Drive {
  /** Path to open: /dev/sdX, /dev/loopN, /dev/diskN, \\.\PhysicalDriveN, or a regular file. */
  device: string;
  kind: 'block' | 'file';
  /** Size in bytes; null when unknown (e.g. an empty zram device, a file not yet created). */
  size: number | null;
  description: string;
  bus: string;
  removable: boolean;
  readOnly: boolean;
  isSystem: boolean;
  /** Mount points of the device and of its partitions. */
  mountpoints: string[];
  serial: string | null;
  /** Bytes per logical sector (the alignment direct I/O needs). */
  logicalSectorSize: number;
  /** For a loop device: the file behind it. */
  backingFile: string | null;
  /** True when the drive came from an injected (test) source. */
  injected: boolean;
  /** For files: whether it exists yet. */
  exists: boolean;
  /** Linux: major:minor of the disk and its partitions (to tell whether a file lives on it). */
  devNumbers: string[];
  /** The path names a partition, not a whole drive. */
  isPartition?: boolean;
  /**
   * What the path named when it was described: a block device's st_rdev, or an existing file's
   * st_dev + st_ino. Target.open compares the open descriptor's fstat with it, so what gets written
   * is what was checked (a path swapped in between is refused).
   */
  identity?: { rdev: number } | { dev: number; ino: number };
}

/** Where drives come from; injectable for tests. */
export type DriveSource = () => Promise<Drive[]>;

// ---- Linux sysfs / procfs facts -------------------------------------------------------------------

function readSys(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** major:minor as sysfs and mountinfo write it. */
export function devNumber(rdev: number): string {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | ((Math.floor(rdev / 4096) & ~0xff) >>> 0);
  return `${major}:${minor}`;
}

/** The sysfs name (sda, loop3) of a block device node, or undefined. */
function sysName(rdev: number): string | undefined {
  try {
    return basename(realpathSync(`/sys/dev/block/${devNumber(rdev)}`));
  } catch {
    return undefined;
  }
}

interface MountEntry {
  dev: string;
  mountpoint: string;
  source: string;
}

/** /proc/self/mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw". */
export function readMounts(text?: string): MountEntry[] {
  const src = text ?? readSys('/proc/self/mountinfo') ?? '';
  const out: MountEntry[] = [];
  for (const line of src.split('\n')) {
    const f = line.split(' ');
    if (f.length < 10) continue;
    const sep = f.indexOf('-', 6);
    const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    out.push({ dev: f[2] as string, mountpoint: unescape(f[4] as string), source: sep > 0 ? unescape(f[sep + 2] ?? '') : '' });
  }
  return out;
}

/** The sysfs names of a disk's partitions (sda1, loop3p1). */
function partitionsOf(name: string, sysBlock = '/sys/block'): string[] {
  try {
    return readdirSync(`${sysBlock}/${name}`).filter((e) => e.startsWith(name) && readSys(`${sysBlock}/${name}/${e}/partition`) !== undefined);
  } catch {
    return [];
  }
}

/** Device numbers (major:minor) of a disk and its partitions. */
export function linuxDeviceNumbers(name: string): Set<string> {
  const out = new Set<string>();
  const d = readSys(`/sys/block/${name}/dev`);
  if (d) out.add(d);
  for (const p of partitionsOf(name)) {
    const pd = readSys(`/sys/block/${name}/${p}/dev`);
    if (pd) out.add(pd);
  }
  return out;
}

/**
 * Device numbers of everything stacked on a disk (device-mapper: LVM, LUKS; md RAID), found through
 * the sysfs `holders/` folders of the disk and its partitions, followed down any depth. A root
 * filesystem on LVM or LUKS is mounted from dm-N, not from sda2: without this the disk under it
 * would not look like the system disk.
 */
export function linuxHolderNumbers(name: string, sysBlock = '/sys/block'): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    let holders: string[];
    try {
      holders = readdirSync(`${dir}/holders`);
    } catch {
      return;
    }
    for (const h of holders) {
      if (seen.has(h) || depth > 16) continue;
      seen.add(h);
      const dev = readSys(`${sysBlock}/${h}/dev`);
      if (dev) out.add(dev);
      visit(`${sysBlock}/${h}`, depth + 1);
    }
  };
  visit(`${sysBlock}/${name}`, 0);
  for (const p of partitionsOf(name, sysBlock)) visit(`${sysBlock}/${name}/${p}`, 0);
  return out;
}

/** The sysfs names of the devices stacked on a disk (dm-0, md127), for the swap check. */
function holderNames(numbers: Set<string>, sysBlock = '/sys/block'): string[] {
  const names: string[] = [];
  try {
    for (const n of readdirSync(sysBlock)) if (numbers.has(readSys(`${sysBlock}/${n}/dev`) ?? '')) names.push(n);
  } catch {
    // no sysfs
  }
  return names;
}

const SYSTEM_MOUNTS = new Set(['/', '/boot', '/boot/efi', '/efi', '/usr', '/var', '/home', '/etc']);

function swapDevices(): string[] {
  const text = readSys('/proc/swaps') ?? '';
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((s) => s.startsWith('/dev/'));
}

/** major:minor of a swap device node (/dev/dm-1, or a /dev/mapper/… link to it). */
function swapNumber(dev: string): string | undefined {
  try {
    const st = statSync(dev);
    return st.isBlockDevice() ? devNumber(st.rdev) : undefined;
  } catch {
    return undefined;
  }
}

/** The serial udev recorded for a device (USB sticks: ID_SERIAL_SHORT), where udev runs. */
function udevSerial(dev: string): string | undefined {
  const db = readSys(`/run/udev/data/b${dev}`);
  if (!db) return undefined;
  const get = (k: string): string | undefined => db.split('\n').find((l) => l.startsWith(`E:${k}=`))?.slice(k.length + 3);
  return get('ID_SERIAL_SHORT') || get('ID_SERIAL') || undefined;
}

/** Describes a Linux block device from sysfs. */
function describeLinuxBlock(path: string, rdev: number): Drive {
  const name = sysName(rdev);
  const base = name ? `/sys/block/${name}` : undefined;
  // A partition node: describe it as itself (size from its own sysfs entry).
  const sysDir = name ? realpathSync(`/sys/dev/block/${devNumber(rdev)}`) : undefined;
  const sectors = Number(sysDir ? readSys(`${sysDir}/size`) : undefined);
  const size = Number.isSafeInteger(sectors) && sectors > 0 ? sectors * 512 : null;
  const numbers = name && base && readSys(`${base}/dev`) !== undefined ? linuxDeviceNumbers(name) : new Set([devNumber(rdev)]);
  // What is mounted from the disk, its partitions, or anything stacked on them (LVM, LUKS, RAID).
  const stacked = name && base ? linuxHolderNumbers(name) : new Set<string>();
  const mounts = readMounts().filter((m) => numbers.has(m.dev) || stacked.has(m.dev));
  const mountpoints = [...new Set(mounts.map((m) => m.mountpoint))];
  const swaps = swapDevices();
  const partNodes = name ? [name, ...partitionsOf(name), ...holderNames(stacked)].map((n) => `/dev/${n}`) : [path];
  const holdsSwap = swaps.some((s) => partNodes.includes(s) || stacked.has(swapNumber(s) ?? ''));
  const model = base ? [readSys(`${base}/device/vendor`), readSys(`${base}/device/model`)].filter(Boolean).join(' ') : '';
  const backing = base ? (readSys(`${base}/loop/backing_file`) ?? null) : null;
  const serial = (base && (readSys(`${base}/device/serial`) || readSys(`${base}/serial`) || udevSerial(devNumber(rdev)) || readSys(`${base}/device/wwid`))) || null;
  const lss = Number(base ? readSys(`${base}/queue/logical_block_size`) : undefined);
  let bus = 'unknown';
  try {
    const link = base ? realpathSync(`${base}/device`) : '';
    if (/\/usb\d*\//.test(link)) bus = 'usb';
    else if (/\/virtio\d*/.test(link)) bus = 'virtio';
    else if (/\/ata\d+\//.test(link)) bus = 'sata';
    else if (/\/nvme\//.test(link)) bus = 'nvme';
    else if (/\/mmc_host\//.test(link)) bus = 'sd';
  } catch {
    if (name?.startsWith('loop')) bus = 'loop';
    else if (name?.startsWith('zram')) bus = 'virtual';
  }
  return {
    device: path,
    kind: 'block',
    size,
    description: model || (backing ? `Loop device over ${backing}` : name ? name : path),
    bus,
    removable: base ? readSys(`${base}/removable`) === '1' : false,
    readOnly: sysDir ? readSys(`${sysDir}/ro`) === '1' : false,
    isSystem: mountpoints.some((m) => SYSTEM_MOUNTS.has(m)) || holdsSwap,
    mountpoints,
    serial,
    logicalSectorSize: Number.isSafeInteger(lss) && lss > 0 ? lss : 512,
    backingFile: backing,
    injected: false,
    exists: true,
    devNumbers: [...numbers],
    isPartition: sysDir ? readSys(`${sysDir}/partition`) !== undefined : false,
    identity: { rdev },
  };
}

/**
 * Describes an explicit target path: a block device (from the OS) or a regular file (a disk image
 * for VMs; it need not exist yet).
 */
export async function describePath(path: string): Promise<Drive> {
  const deviceNamespace = /^\\\\\.\\/.test(path);
  const abs = deviceNamespace ? path : resolve(path);
  if (deviceNamespace) {
    // \\.\PhysicalDriveN (Windows): only what the OS lists; never a file to create.
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device.toLowerCase() === abs.toLowerCase());
    if (!listed) throw new SevenStickError('E_DEVICE', `${abs} is not a drive this system reports`, { path: abs });
    return listed;
  }
  let st;
  try {
    st = await fsp.stat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SevenStickError('E_DEVICE', `Cannot look at ${abs}: ${(e as Error).message}`, { path: abs });
    return fileTarget(abs, { size: null, readOnly: false, exists: false });
  }
  if (st.isDirectory()) throw new SevenStickError('E_ARGS', `${abs} is a folder; the target must be a drive or a disk image file`, { path: abs });
  if (st.isBlockDevice() && process.platform === 'linux') {
    // A link such as /dev/disk/by-id/usb-… is resolved once here: the target is opened by its
    // real node name, without following links (O_NOFOLLOW), and checked against this st_rdev.
    const real = await fsp.realpath(abs).catch(() => abs);
    const d = describeLinuxBlock(real, st.rdev);
    // drivelist knows more on some systems (system flags); merge what it says about this device.
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device === real);
    if (listed) {
      d.isSystem ||= listed.isSystem;
      d.readOnly ||= listed.readOnly;
      if (d.description === basename(abs) && listed.description) d.description = listed.description;
    }
    return d;
  }
  if (st.isBlockDevice() || st.isCharacterDevice()) {
    const listed = (await drivelistDrives().catch(() => [])).find((x) => x.device === abs);
    if (listed) return { ...listed, identity: { rdev: st.rdev } };
    throw new SevenStickError('E_DEVICE', `${abs} is not a drive this system reports`, { path: abs });
  }
  if (!st.isFile()) throw new SevenStickError('E_ARGS', `${abs} is neither a drive nor a regular file`, { path: abs });
  let readOnly = false;
  try {
    await fsp.access(abs, 2 /* W_OK */);
  } catch {
    readOnly = true;
  }
  return { ...fileTarget(await fsp.realpath(abs).catch(() => abs), { size: st.size, readOnly, exists: true }), identity: { dev: st.dev, ino: st.ino } };
}

/** A regular file as a target (a disk image for VMs), existing or to be created. */
function fileTarget(abs: string, f: { size: number | null; readOnly: boolean; exists: boolean }): Drive {
  return {
    device: abs,
    kind: 'file',
    size: f.size,
    description: f.exists ? 'Disk image file' : 'New disk image file',
    bus: 'file',
    removable: true,
    readOnly: f.readOnly,
    isSystem: false,
    mountpoints: [],
    serial: null,
    logicalSectorSize: 512,
    backingFile: null,
    injected: false,
    exists: f.exists,
    devNumbers: [],
  };
}

// ---- Sources ----------------------------------------------------------------------------------

interface DrivelistDrive {
  device: string;
  raw: string;
  description: string;
  size: number | null;
  busType: string;
  isRemovable: boolean;
  isReadOnly: boolean;
  isSystem: boolean;
  isUSB: boolean | null;
  logicalBlockSize: number;
  mountpoints: { path: string }[];
}

/** What drivelist reports, mapped to our Drive (sysfs fills in serial and backing file on Linux). */
export async function drivelistDrives(): Promise<Drive[]> {
  const mod = (await import('drivelist')) as { list(): Promise<DrivelistDrive[]> };
  const list = await mod.list();
  return list.map((d) => {
    let serial: string | null = null;
    if (process.platform === 'linux') {
      const name = basename(d.device);
      serial = readSys(`/sys/block/${name}/device/serial`) || readSys(`/sys/block/${name}/device/wwid`) || null;
    }
    return {
      device: d.device,
      kind: 'block' as const,
      size: d.size && d.size > 0 ? d.size : null,
      description: d.description || basename(d.device),
      bus: d.isUSB ? 'usb' : (d.busType || 'unknown').toLowerCase(),
      removable: d.isRemovable,
      readOnly: d.isReadOnly,
      isSystem: d.isSystem,
      mountpoints: d.mountpoints.map((m) => m.path),
      serial,
      logicalSectorSize: d.logicalBlockSize || 512,
      backingFile: null,
      injected: false,
      exists: true,
      devNumbers: process.platform === 'linux' ? [...linuxDeviceNumbers(basename(d.device))] : [],
    };
  });
}

/** Devices named in SEVENSTICK_TEST_DEVICES (comma-separated paths), described like explicit paths. */
export async function envTestDrives(): Promise<Drive[]> {
  const list = (process.env.SEVENSTICK_TEST_DEVICES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: Drive[] = [];
  for (const p of list) {
    try {
      out.push({ ...(await describePath(p)), injected: true });
    } catch {
      // A test device that vanished is simply absent.
    }
  }
  return out;
}

/**
 * Linux loop devices that have a file attached (drivelist leaves them out), described like any
 * block device and marked with bus 'loop'. The privileged helper lists them so a loop device can be
 * a target; it writes one only when the file behind it belongs to the user who asked.
 */
export async function linuxLoopDrives(): Promise<Drive[]> {
  if (process.platform !== 'linux') return [];
  const out: Drive[] = [];
  for (const name of readdirSync('/sys/block').filter((n) => /^loop\d+$/.test(n))) {
    if (readSys(`/sys/block/${name}/loop/backing_file`) === undefined) continue;
    let st;
    try {
      st = statSync(`/dev/${name}`);
    } catch {
      continue;
    }
    if (!st.isBlockDevice()) continue;
    out.push({ ...describeLinuxBlock(`/dev/${name}`, st.rdev), bus: 'loop' });
  }
  return out;
}

let sources: DriveSource[] = [drivelistDrives, envTestDrives];

/** Replaces the drive sources (tests, the helper process); returns the previous ones. */
export function setDriveSources(next: DriveSource[]): DriveSource[] {
  const prev = sources;
  sources = next;
  return prev;
}

export interface ListOptions {
  /** Include system drives, drives of unknown size and fixed disks. */
  all?: boolean;
  /**
   * Fail closed: a source that cannot be read throws (E_DEVICE) instead of being skipped. The helper
   * lists strictly — a drive list it could not read must not look like "nothing is a system disk".
   */
  strict?: boolean;
  /** Read these sources instead of the configured ones (the helper: the OS's list and loop devices only). */
  sources?: readonly DriveSource[];
}

/** Drives from every source (first source wins for a device path), sorted by path. */
export async function listDrives(opts: ListOptions = {}): Promise<Drive[]> {
  const byDevice = new Map<string, Drive>();
  for (const src of opts.sources ?? sources) {
    let drives: Drive[];
    try {
      drives = await src();
    } catch (e) {
      if (opts.strict) throw new SevenStickError('E_DEVICE', `Cannot list the drives of this system (${(e as Error).message}); nothing was written`, {}, { cause: e });
      continue;
    }
    for (const d of drives) if (!byDevice.has(d.device)) byDevice.set(d.device, d);
  }
  const all = [...byDevice.values()].sort((a, b) => a.device.localeCompare(b.device));
  return opts.all ? all : all.filter(isUsableByDefault);
}

/** The default list: drives a person would pick (removable or injected, not system, known size). */
export function isUsableByDefault(d: Drive): boolean {
  return !d.isSystem && d.size !== null && d.size > 0 && (d.removable || d.injected);
}

export interface DriveChange {
  drives: Drive[];
  added: Drive[];
  removed: Drive[];
  changed: Drive[];
}

const fingerprint = (d: Drive): string => JSON.stringify([d.size, d.readOnly, d.mountpoints, d.serial, d.isSystem]);

/**
 * Hot-plug by polling: calls onChange with the first list and whenever a drive appears, vanishes or
 * changes (size, mounts, read-only). Returns a stop function.
 */
export function watchDrives(onChange: (c: DriveChange) => void, intervalMs = 2000, opts: ListOptions = {}): () => void {
  let prev: Map<string, Drive> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    let drives: Drive[];
    try {
      drives = await listDrives(opts);
    } catch {
      drives = prev ? [...prev.values()] : [];
    }
    if (stopped) return;
    const now = new Map(drives.map((d) => [d.device, d]));
    const added = drives.filter((d) => !prev?.has(d.device));
    const removed = prev ? [...prev.values()].filter((d) => !now.has(d.device)) : [];
    const changed = prev ? drives.filter((d) => prev?.has(d.device) && fingerprint(prev.get(d.device) as Drive) !== fingerprint(d)) : [];
    if (!prev || added.length || removed.length || changed.length) onChange({ drives, added, removed, changed });
    prev = now;
    timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** Device numbers (major:minor) of the filesystem a path lives on, and of loop devices' backing files. */
export function fileSystemDeviceOf(path: string): string | undefined {
  try {
    return devNumber(statSync(path).dev);
  } catch {
    return undefined;
  }
}
