/**
 * The engine, seen through the contract: each binding calls a real engine function and maps its
 * result to the plain view types the renderer gets. A binding the engine cannot back yet is absent
 * (the handler then answers E_NOT_AVAILABLE) — never a made-up result.
 */
import { basename } from 'node:path';
import { checkDrive, describePath, inspectImage, isUsableByDefault, listDrives, locateImage, watchDrives, type Drive, type ImageLocation, type InspectResult } from '../engine/index.js';
import type { Progress as EngineProgress } from '../engine/job/progress.js';
import type { ChecksumView, ConfirmedTarget, DriveView, ImageView, Progress } from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import { identityOf } from '../helper/identity.js';

// The contract restates the engine's Progress (the renderer may not import the engine): this line
// fails to compile the moment the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PROGRESS_TYPES_MATCH: Same<Progress, EngineProgress> = true;

export interface EngineBindings {
  inspect?: (path: string) => Promise<ImageView>;
  checksum?: (path: string, opts: { signal: AbortSignal; onProgress: (p: Progress) => void }) => Promise<ChecksumView>;
  /** Every drive, with `hiddenByDefault` set on those only "show all" lists; checked against the image. */
  listDrives?: (image: string | null) => Promise<DriveView[]>;
  /** Calls back with the full list whenever it changes; returns a stop function. */
  watchDrives?: (image: () => string | null, onChange: (drives: DriveView[]) => void, intervalMs?: number) => () => void;
  /** The identity (path, size, serial) the helper will re-check, for a drive picked in the verify flow. */
  identifyForConfirm?: (path: string) => Promise<ConfirmedTarget>;
  /** Whether the helper can write / verify in this build. */
  canWrite: boolean;
  canVerify: boolean;
}

/** A drive as the wizard shows it: the device layer's facts plus its safety predicates' verdicts. */
export function driveView(d: Drive, image: ImageLocation | undefined): DriveView {
  const notices = checkDrive(d, image ? { image } : {});
  return {
    path: d.device,
    description: d.description,
    size: d.size,
    bus: d.bus,
    removable: d.removable,
    system: d.isSystem,
    serial: identityOf(d),
    mountpoints: d.mountpoints,
    notices: notices.map((n) => ({ severity: n.severity, code: n.code, message: n.message })),
    selectable: !d.isSystem && d.size !== null && !notices.some((n) => n.severity === 'error'),
    hiddenByDefault: !isUsableByDefault(d),
  };
}

/** An inspected image as the wizard's card shows it. */
export function imageView(path: string, r: InspectResult): ImageView {
  const view: ImageView = { path, fileName: basename(path), kind: r.kind, label: r.label, size: r.size, notices: [] };
  const w = r.windows;
  if (w) {
    view.windows = {
      build: w.version || (w.build !== null ? String(w.build) : 'unknown'),
      servicePack: w.sp ? `Service Pack ${w.sp}` : null,
      arch: w.arch,
      uefi: w.uefi,
      bios: true,
      editions: w.editions.map((e) => ({ index: e.index, name: e.name, editionId: e.editionId, arch: e.arch })),
      languages: w.languages,
    };
    view.notices = w.warnings.map((x) => ({ severity: 'warning' as const, code: x.code, message: x.message }));
  }
  if (r.kind === 'hybrid') view.notices.push({ severity: 'warning', code: 'W_HYBRID', message: 'This image already has a partition table: it will be copied byte for byte (raw mode).' });
  if (r.kind === 'raw') view.notices.push({ severity: 'warning', code: 'W_RAW', message: 'This is a raw disk image: it will be copied byte for byte.' });
  return view;
}

function locate(image: string | null): ImageLocation | undefined {
  return image ? locateImage(image) : undefined;
}

export function bindEngine(): EngineBindings {
  return {
    async inspect(path) {
      return imageView(path, await inspectImage(path));
    },
    async checksum(path, { signal, onProgress }) {
      const r = await inspectImage(path, { hash: true, signal, onProgress });
      if (!r.sha1 || !r.sha256) throw new AppError({ code: 'E_IO', message: 'The checksums could not be computed.' });
      const m = r.catalogMatch;
      return { sha1: r.sha1, sha256: r.sha256, catalogMatch: m ? { file: m.file, source: m.source ?? m.origin } : null };
    },
    async listDrives(image) {
      const loc = locate(image);
      return (await listDrives({ all: true })).map((d) => driveView(d, loc));
    },
    watchDrives(image, onChange, intervalMs = 1500) {
      return watchDrives((c) => onChange(c.drives.map((d) => driveView(d, locate(image())))), intervalMs, { all: true });
    },
    async identifyForConfirm(path) {
      const d = await describePath(path);
      if (d.size === null) throw new AppError({ code: 'E_DEVICE', message: `${path} reports no size` });
      return { path: d.device, size: d.size, serial: identityOf(d) };
    },
    canWrite: true,
    canVerify: true,
  };
}
