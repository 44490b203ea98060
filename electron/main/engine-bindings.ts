/**
 * The engine, seen through the contract: each binding calls a real engine function and maps its
 * result to the plain view types the renderer gets. A binding the engine cannot back yet is absent
 * (the handler then answers E_NOT_AVAILABLE) — never a made-up result.
 */
import { checkDrive, describePath, FileReader, isUsableByDefault, listDrives, locateImage, watchDrives, type Drive, type ImageLocation } from '../engine/index.js';
// TODO(image): switch to inspectImage(path, {hash}) from engine/index.ts once it is exported there.
import { hashReader } from '../engine/image/checksum.js';
import { loadCatalog, matchCatalog } from '../engine/image/catalog.js';
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

function locate(image: string | null): ImageLocation | undefined {
  return image ? locateImage(image) : undefined;
}

export function bindEngine(): EngineBindings {
  return {
    async checksum(path, { signal, onProgress }) {
      const reader = await FileReader.open(path);
      try {
        const digests = await hashReader(reader, { signal, onProgress });
        const m = matchCatalog(digests, loadCatalog());
        return { ...digests, catalogMatch: m ? { file: m.file, source: m.source ?? m.origin } : null };
      } finally {
        await reader.close();
      }
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
    canVerify: false,
  };
}
