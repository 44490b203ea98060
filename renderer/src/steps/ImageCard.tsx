import type { ImageView } from '../../../electron/shared/contract.js';
import type { MessageKey } from '../../../electron/shared/i18n/catalog.js';
import type { Translator } from '../../../electron/shared/i18n/translator.js';
import type { ImageState } from '../../../electron/shared/wizard.js';
import { Notices } from '../components/Notices.js';
import { useT } from '../i18n.js';
import type { Dispatch } from '../types.js';
import { Checksum } from './Checksum.js';

const KIND_KEYS: Record<ImageView['kind'], MessageKey> = {
  windows: 'app.image.kindWindows',
  hybrid: 'app.image.kindHybrid',
  raw: 'app.image.kindRaw',
};

/** "Build 6.1.7601.17514, Service Pack 1". */
function versionText(tr: Translator, w: NonNullable<ImageView['windows']>): string {
  const build = w.build ?? tr.t('app.image.buildUnknown');
  if (!w.servicePack) return tr.t('app.image.versionNoSp', { build });
  return tr.t('app.image.version', { build, servicePack: tr.t('app.image.servicePack', { number: w.servicePack }) });
}

function archText(tr: Translator, arch: string): string {
  return arch === 'x64' ? tr.t('app.image.arch64') : arch === 'x86' ? tr.t('app.image.arch32') : arch;
}

/** What the inspected image is: type, size, and for Windows media its build, editions and warnings. */
export function ImageCard({ image, dispatch }: { image: ImageState; dispatch: Dispatch }) {
  const tr = useT();
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
          <dt>{tr.t('app.image.type')}</dt>
          <dd>{tr.t(KIND_KEYS[info.kind])}</dd>
        </div>
        <div>
          <dt>{tr.t('app.image.size')}</dt>
          <dd className="num">{tr.bytes(info.size)}</dd>
        </div>
        {w && (
          <>
            <div>
              <dt>{tr.t('app.image.versionLabel')}</dt>
              <dd>{versionText(tr, w)}</dd>
            </div>
            <div>
              <dt>{tr.t('app.image.archLabel')}</dt>
              <dd>{archText(tr, w.arch)}</dd>
            </div>
            <div>
              <dt>{tr.t('app.image.bootsOn')}</dt>
              <dd>
                <span className={`badge ${w.bios ? 'yes' : 'no'}`}>{tr.t('app.image.firmware', { firmware: 'BIOS', boots: w.bios ? 'yes' : 'no' })}</span>{' '}
                <span className={`badge ${w.uefi ? 'yes' : 'no'}`}>{tr.t('app.image.firmware', { firmware: 'UEFI', boots: w.uefi ? 'yes' : 'no' })}</span>
              </dd>
            </div>
            {w.languages.length > 0 && (
              <div>
                <dt>{tr.t('app.image.languages')}</dt>
                <dd>{tr.list(w.languages)}</dd>
              </div>
            )}
          </>
        )}
      </dl>
      {w && w.editions.length > 0 && (
        <div className="editions">
          <h3>{tr.t('app.image.editions')}</h3>
          <ul>
            {w.editions.map((e) => (
              <li key={e.index}>
                <span className="num">{tr.number(e.index)}.</span> {e.name} <span className="muted">({e.editionId}, {e.arch})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Notices notices={info.notices} label={tr.t('app.image.notices')} />
      <Checksum path={info.path} ck={image.checksum} dispatch={dispatch} />
    </section>
  );
}
