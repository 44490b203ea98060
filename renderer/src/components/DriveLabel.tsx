import type { DriveView } from '../../../electron/shared/contract.js';
import { driveName } from '../../../electron/shared/i18n/phrases.js';
import { useT } from '../i18n.js';

/** A drive row's label: its name, then its path. */
export function DriveLabel({ id, drive }: { id: string; drive: DriveView }) {
  const tr = useT();
  return (
    <label htmlFor={id}>
      <span className="drive-name">{driveName(tr, drive)}</span>
      <span className="drive-path">{drive.path}</span>
    </label>
  );
}
