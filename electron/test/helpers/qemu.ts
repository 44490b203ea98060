/**
 * QEMU harness for the boot tests: boots a raw disk image under SeaBIOS or OVMF (TCG) and
 * returns what the guest said.
 *
 * - Serial: COM1 goes to QEMU's stdout (`-serial stdio`). Our probes report there; OVMF mirrors
 *   ConOut there too. (With -nographic SeaBIOS also mirrors its own text console to COM1, so
 *   BIOS banners show up in `serial`; tests match the probe's own line.)
 * - Exit: the BIOS probe writes to isa-debug-exit (port 0xF4); QEMU then exits with status
 *   value * 2 + 1. The EFI probe powers off (status 0).
 * - Screen: real firmware only has the screen for our boot code's error messages, so we read
 *   the VGA text buffer itself: QEMU runs with a QMP socket (`-qmp unix:…`), and the harness
 *   polls `pmemsave 0xB8000 4000` (80×25 cells of char + attribute) and decodes the characters.
 *   With `waitForScreen`, QEMU is stopped as soon as the screen matches (boot code that halts
 *   never exits by itself). Only meaningful in BIOS text mode; under OVMF use the serial port.
 * - Every run is killed at `timeoutMs`; disks are attached with snapshot=on (never modified).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './tools.js';

export const OVMF = '/usr/share/ovmf/OVMF.fd';
const VGA_TEXT = 0xb8000;
const VGA_COLS = 80;
const VGA_ROWS = 25;

export interface BootOptions {
  /** Kill QEMU after this long (default 30 s). */
  timeoutMs?: number;
  /** Stop QEMU as soon as the VGA text screen matches (BIOS only). */
  waitForScreen?: RegExp;
  /** Stop QEMU as soon as the serial output matches. */
  waitForSerial?: RegExp;
  /** Guest RAM in MiB (default 256). */
  memoryMiB?: number;
}

export interface BiosBootOptions extends BootOptions {
  /** How the disk is attached: IDE disk, or usb-storage on a qemu-xhci controller. */
  bus?: 'ide' | 'usb';
  /** IDE only: fixed geometry with no BIOS translation (for tests of CHS code paths). */
  ideChs?: { cyls: number; heads: number; secs: number };
  /**
   * Mirror the BIOS text console to the serial port too (SeaBIOS "sercon", fw_cfg etc/sercon-port =
   * 0x3F8): what boot code prints with INT 10h then shows in `serial` as well as on `screen`.
   */
  serialConsole?: boolean;
}

let serconFile: string | undefined;
/** fw_cfg file holding SeaBIOS's serial console port (0x3F8, little-endian). */
function serconPortFile(): string {
  if (!serconFile) {
    const dir = tempDir('sevenstick-sercon-');
    process.once('exit', dir.cleanup);
    serconFile = join(dir.path, 'sercon-port');
    writeFileSync(serconFile, Buffer.from([0xf8, 0x03]));
  }
  return serconFile;
}

export interface BootResult {
  /** Everything the guest wrote to COM1. */
  serial: string;
  /** VGA text screen at the last snapshot (rows joined by \n, right-trimmed); '' if none was taken. */
  screen: string;
  /** QEMU's exit status, or null if the harness killed it. */
  exitStatus: number | null;
  /** Value the guest wrote to isa-debug-exit (from an odd exit status), else null. */
  debugExit: number | null;
  /** True if QEMU was killed at the timeout. */
  timedOut: boolean;
  /** True if QEMU was stopped because waitForScreen / waitForSerial matched. */
  matched: boolean;
  durationMs: number;
  /** The full command line, for failure messages. */
  command: string;
}

function diskArgs(disk: string, bus: 'ide' | 'usb', chs?: BiosBootOptions['ideChs']): string[] {
  if (bus === 'ide' && chs) {
    return [
      '-drive', `if=none,id=hd,file=${disk},format=raw,snapshot=on`,
      '-device', `ide-hd,drive=hd,bus=ide.0,cyls=${chs.cyls},heads=${chs.heads},secs=${chs.secs},bios-chs-trans=none`,
    ];
  }
  if (bus === 'ide') return ['-drive', `file=${disk},format=raw,if=ide,snapshot=on`];
  return ['-device', 'qemu-xhci', '-drive', `if=none,id=stick,file=${disk},format=raw,snapshot=on`, '-device', 'usb-storage,drive=stick'];
}

/** Boots `disk` under SeaBIOS (legacy BIOS). */
export function bootBios(disk: string, opts: BiosBootOptions = {}): Promise<BootResult> {
  const args = ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', ...diskArgs(disk, opts.bus ?? 'ide', opts.ideChs)];
  if (opts.serialConsole) args.push('-fw_cfg', `name=etc/sercon-port,file=${serconPortFile()}`);
  return runQemu(args, opts);
}

/** Boots `disk` (as a USB stick on qemu-xhci) under OVMF (UEFI, q35, TCG: KVM + OVMF fails here). */
export function bootUefi(disk: string, opts: BootOptions = {}): Promise<BootResult> {
  if (!existsSync(OVMF)) throw new Error(`OVMF firmware not found at ${OVMF}`);
  const args = ['-bios', OVMF, '-machine', 'q35', ...diskArgs(disk, 'usb')];
  return runQemu(args, { timeoutMs: 60_000, ...opts });
}

/** Decodes a VGA text-mode buffer (char, attribute pairs) into lines. */
export function decodeVgaText(buf: Buffer): string {
  const rows: string[] = [];
  for (let r = 0; r < VGA_ROWS; r++) {
    let line = '';
    for (let c = 0; c < VGA_COLS; c++) {
      const at = (r * VGA_COLS + c) * 2;
      const ch = at < buf.length ? buf[at] : 0x20;
      line += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ' ';
    }
    rows.push(line.trimEnd());
  }
  while (rows.length && rows[rows.length - 1] === '') rows.pop();
  return rows.join('\n');
}

/** Minimal QMP client: one command at a time, replies matched in order. */
class Qmp {
  private buf = '';
  private waiters: ((reply: { return?: unknown; error?: unknown }) => void)[] = [];
  private closed = false;
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        if (!line) continue;
        let msg: { return?: unknown; error?: unknown; QMP?: unknown; event?: unknown };
        try {
          msg = JSON.parse(line) as typeof msg;
        } catch {
          continue;
        }
        if ('return' in msg || 'error' in msg) this.waiters.shift()?.(msg);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w({ error: 'closed' });
    });
  }

  static async open(path: string, deadline: number, stop: () => boolean): Promise<Qmp | null> {
    while (Date.now() < deadline && !stop()) {
      if (existsSync(path)) {
        const sock = await new Promise<Socket | null>((res) => {
          const s = connect(path);
          s.once('connect', () => res(s));
          s.once('error', () => res(null));
        });
        if (sock) {
          const q = new Qmp(sock);
          const r = await q.command('qmp_capabilities');
          if (!r.error) return q;
          sock.destroy();
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  }

  command(execute: string, args?: Record<string, unknown>): Promise<{ return?: unknown; error?: unknown }> {
    return new Promise((resolve) => {
      // QEMU may be gone already (a socket that closed never answers)
      if (this.closed || this.sock.destroyed) return resolve({ error: 'closed' });
      // a QEMU that stopped answering: give up on this connection (replies are matched in order)
      const timer = setTimeout(() => {
        this.closed = true;
        this.sock.destroy();
        resolve({ error: 'timeout' });
      }, 5_000);
      this.waiters.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.sock.write(JSON.stringify(args ? { execute, arguments: args } : { execute }) + '\n');
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

async function runQemu(machineArgs: string[], opts: BootOptions): Promise<BootResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const tmp = tempDir('sevenstick-qemu-');
  const qmpPath = join(tmp.path, 'qmp.sock');
  const vgaPath = join(tmp.path, 'vga.bin');
  const args = [
    '-accel', 'tcg',
    '-nographic',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-m', String(opts.memoryMiB ?? 256),
    '-no-reboot',
    '-qmp', `unix:${qmpPath},server=on,wait=off`,
    ...machineArgs,
  ];
  const started = Date.now();
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let serial = '';
  let stderr = '';
  let screen = '';
  let timedOut = false;
  let matched = false;
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (d: string) => {
    serial += d;
    if (opts.waitForSerial && !matched && opts.waitForSerial.test(serial)) {
      matched = true;
      child.kill('SIGKILL');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (e) => {
      stderr += String(e);
      resolve(null);
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  const snapshot = async (qmp: Qmp | null): Promise<void> => {
    if (!qmp || done) return;
    const r = await qmp.command('pmemsave', { val: VGA_TEXT, size: VGA_COLS * VGA_ROWS * 2, filename: vgaPath });
    if (!r.error && existsSync(vgaPath)) screen = decodeVgaText(readFileSync(vgaPath));
  };

  const deadline = started + timeoutMs;
  try {
    const qmp = await Qmp.open(qmpPath, Math.min(deadline, started + 10_000), () => done || matched);
    try {
      while (!done && !matched && Date.now() < deadline) {
        if (opts.waitForScreen) {
          await snapshot(qmp);
          if (opts.waitForScreen.test(screen)) {
            matched = true;
            break;
          }
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 150))]);
      }
      if (!done && !matched) {
        timedOut = true;
        await snapshot(qmp); // show what was on screen when it hung
      }
    } finally {
      qmp?.close();
    }
    if (!done) child.kill('SIGKILL');
    const status = await exited;
    const killed = timedOut || matched;
    return {
      serial,
      screen,
      exitStatus: killed ? null : status,
      debugExit: !killed && status !== null && status % 2 === 1 ? (status - 1) / 2 : null,
      timedOut,
      matched,
      durationMs: Date.now() - started,
      command: `qemu-system-x86_64 ${args.join(' ')}${stderr ? `\nstderr: ${stderr.trim()}` : ''}`,
    };
  } finally {
    if (!done) child.kill('SIGKILL');
    tmp.cleanup();
  }
}
