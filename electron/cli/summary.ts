/**
 * The end of a `write` (issue #14): a summary per target and for the job — size, elapsed time, average
 * speed, verified or not — and the next steps for Windows media; on cancel, the state the targets were
 * left in and what to do. Sizes and speeds through shared/format.ts, times like the app's ETA.
 */
import type { Drive, WriteJobResult } from '../engine/index.js';
import { formatBytes, formatSpeed } from '../shared/format.js';
import { formatEta } from '../shared/wizard.js';

const speed = (bytes: number, seconds: number): string => (seconds > 0 ? formatSpeed(bytes / seconds) : '—');

/** The lines to print after a finished job (success or not). */
export function writeSummary(r: WriteJobResult, drives: readonly Drive[]): string[] {
  const out: string[] = [];
  for (const w of r.warnings) out.push(`warning: ${w}`);
  for (const t of r.targets) {
    const size = `${formatBytes(t.bytesWritten)} (${t.bytesWritten} bytes)`;
    if (t.ok) out.push(`✓ ${t.target}: written${t.verified ? ' and verified' : ' (not verified: --no-verify)'} — ${size}`);
    else out.push(`✗ ${t.target}: FAILED — ${t.error?.message ?? 'unknown error'}`);
    for (const d of t.differences.slice(0, 20)) out.push(`  differs at byte ${d.offset} (${d.length} bytes): ${d.what}`);
    if (t.differences.length > 20) out.push(`  … and ${t.differences.length - 20} more differences`);
    for (const n of t.notes) out.push(`  note: ${n}`);
  }
  const ok = r.targets.filter((t) => t.ok);
  const s = r.seconds;
  out.push(
    `${ok.length} of ${r.targets.length} target${r.targets.length === 1 ? '' : 's'} done in ${formatEta(s.total)}: ${formatBytes(r.bytesToWrite)} written at ${speed(r.bytesToWrite, s.writing)} on average` +
      (s.verifying > 0 ? `, read back at ${speed(r.bytesToWrite, s.verifying)}` : ''),
  );
  if (ok.length > 0) out.push(...nextSteps(r, drives.filter((d) => ok.some((t) => t.target === d.device))));
  return out;
}

/** What to do with the finished targets: boot them (Windows media), remove them. */
function nextSteps(r: WriteJobResult, done: readonly Drive[]): string[] {
  const steps: string[] = [];
  const sticks = done.filter((d) => d.kind === 'block');
  const files = done.filter((d) => d.kind === 'file');
  if (r.mode === 'windows') {
    steps.push('Next steps:');
    if (sticks.length) {
      steps.push('  • Plug the stick into a USB 2 port (Windows 7 setup has no USB 3 drivers: it may stop asking for a "CD/DVD driver" on a USB 3 port).');
      steps.push('  • Start the PC from it with its boot menu key (often F12, F11, F8 or Esc).');
    }
    if (r.uefiBoot === 'none') steps.push('  • The stick boots in BIOS mode only: turn on Legacy/CSM boot in the firmware settings.');
    else steps.push('  • UEFI: turn Secure Boot off (Windows 7 does not support it); or boot it in Legacy/CSM mode.');
    for (const f of files) steps.push(`  • ${f.device} is a disk image: attach it to a virtual machine (${f.device.toLowerCase().endsWith('.vhd') ? 'VirtualBox, Hyper-V or QEMU' : 'QEMU, or VirtualBox after conversion'}) and boot from it.`);
  }
  if (sticks.length) steps.push(`It is safe to remove ${sticks.map((d) => d.device).join(', ')} now: everything was flushed to ${sticks.length === 1 ? 'it' : 'them'}.`);
  return steps;
}

/**
 * Notes for a write that was cancelled: what state each target is in and what to do. `started`: the
 * targets were being written (not only prepared).
 */
export function cancelNotes(drives: readonly Drive[], started: boolean): string[] {
  if (!started) return ['cancelled before anything was written: every target is as it was'];
  const notes: string[] = [];
  for (const d of drives) {
    if (d.kind === 'block') {
      notes.push(
        `${d.device} was left unbootable on purpose: its first sector is zeroed so a half-written stick never passes for a finished one; what was on it before is partly overwritten. Write it again, or format it to use it for something else.`,
      );
    }
  }
  return notes;
}
