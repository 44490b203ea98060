/**
 * Linux facts from sysfs and procfs: device numbers, mounts (mountinfo), partitions, what is stacked on
 * a disk (LVM, LUKS, RAID holders), swap, serials, and a block device described from all of them.
 */
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Drive } from './drive.js';

export function readSys(path: string): string | undefined {
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
export function partitionsOf(name: string, sysBlock = '/sys/block'): string[] {
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
export function describeLinuxBlock(path: string, rdev: number): Drive {
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

/** Device numbers (major:minor) of the filesystem a path lives on, and of loop devices' backing files. */
export function fileSystemDeviceOf(path: string): string | undefined {
  try {
    return devNumber(statSync(path).dev);
  } catch {
    return undefined;
  }
}
