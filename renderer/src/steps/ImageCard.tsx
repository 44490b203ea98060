import type { ImageView } from '../../../electron/shared/contract.js';
import { formatBytes } from '../../../electron/shared/format.js';
import type { ImageState } from '../../../electron/shared/wizard.js';
import { Notices } from '../components/Notices.js';
import type { Dispatch } from '../types.js';
import { Checksum } from './Checksum.js';

function kindText(kind: ImageView['kind']): string {
  return kind === 'windows' ? 'Windows setup media' : kind === 'hybrid' ? 'Hybrid image (copied as is)' : 'Raw disk image';
}

/** What the inspected image is: type, size, and for Windows media its build, editions and warnings. */
export function ImageCard({ image, dispatch }: { image: ImageState; dispatch: Dispatch }) {
  const info = image.info;
  if (!info) return null;
  const w = info.windows;
  return (
    <section className="card" aria-labelledby="image-title">
      <h2 id="image-title" className="card-title">
        {info.label || info.fileName}
      </h2>
      <p className="muted break">{info.path}</p>
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{kindText(info.kind)}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd className="num">{formatBytes(info.size)}</dd>
        </div>
        {w && (
          <>
            <div>
              <dt>Version</dt>
              <dd>
                Build {w.build}
                {w.servicePack ? `, ${w.servicePack}` : ', no service pack'}
              </dd>
            </div>
            <div>
              <dt>Architecture</dt>
              <dd>{w.arch === 'x64' ? '64-bit (x64)' : w.arch === 'x86' ? '32-bit (x86)' : w.arch}</dd>
            </div>
            <div>
              <dt>Boots on</dt>
              <dd>
                <span className={`badge ${w.bios ? 'yes' : 'no'}`}>BIOS {w.bios ? '✓' : '✗'}</span>{' '}
                <span className={`badge ${w.uefi ? 'yes' : 'no'}`}>UEFI {w.uefi ? '✓' : '✗'}</span>
              </dd>
            </div>
            {w.languages.length > 0 && (
              <div>
                <dt>Languages</dt>
                <dd>{w.languages.join(', ')}</dd>
              </div>
            )}
          </>
        )}
      </dl>
      {w && w.editions.length > 0 && (
        <div className="editions">
          <h3>Editions</h3>
          <ul>
            {w.editions.map((e) => (
              <li key={e.index}>
                <span className="num">{e.index}.</span> {e.name} <span className="muted">({e.editionId}, {e.arch})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Notices notices={info.notices} label="Things to know about this image" />
      <Checksum path={info.path} ck={image.checksum} dispatch={dispatch} />
    </section>
  );
}
