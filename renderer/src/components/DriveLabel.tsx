import type { DriveView } from '../../../electron/shared/contract.js';

/** A drive row's label: its name, then its path. */
export function DriveLabel({ id, drive }: { id: string; drive: DriveView }) {
  return (
    <label htmlFor={id}>
      <span className="drive-name">{drive.description}</span>
      <span className="drive-path">{drive.path}</span>
    </label>
  );
}
