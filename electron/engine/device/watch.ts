/** Hot-plug: the drive list polled, and told when a drive appears, vanishes or changes. */
import type { Drive } from './drive.js';
import { listDrives, type ListOptions } from './drives.js';

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
