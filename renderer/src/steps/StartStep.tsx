import type { StepProps } from '../types.js';

export function StartStep({ dispatch }: StepProps) {
  return (
    <div className="start">
      <p className="lead">Turns a Windows 7 ISO into a USB stick that boots on BIOS and UEFI PCs — and proves it by reading every written sector back.</p>
      <div className="choices">
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'write' })}>
          <span className="choice-title">Make a bootable stick</span>
          <span className="choice-text">Pick an ISO and a USB drive. The drive is erased.</span>
        </button>
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'verify' })}>
          <span className="choice-title">Verify a stick</span>
          <span className="choice-text">Compare a stick made earlier with its ISO, file by file.</span>
        </button>
      </div>
      <p className="muted small">Tip: you can also drop an ISO file anywhere on this window.</p>
    </div>
  );
}
