/**
 * What the e2e specs share: a screenshot + axe per step, a world of temp files and loop devices torn
 * down after each test, and the few page moves every flow starts with.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Host, HostOptions } from './host.js';
import type { Loop } from './util.js';


export const isRoot = process.getuid?.() === 0;

/** Screenshot + axe for one step: no violations allowed. */
export async function step(host: Host, name: string): Promise<void> {
  await host.shot(name);
  const r = await new AxeBuilder({ page: host.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const v = r.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  assert.deepEqual(v, [], `axe violations on step "${name}"`);
}

export interface World {
  dir: string;
  loops: Loop[];
  host: Host | null;
  cleanups: Array<() => void>;
}

export function world(): World {
  return { dir: mkdtempSync(join(tmpdir(), 'sevenstick-e2e-')), loops: [], host: null, cleanups: [] };
}

export async function teardown(w: World): Promise<void> {
  const errors = w.host ? w.host.errors.filter((e) => !/Failed to load resource/.test(e)) : [];
  await w.host?.close();
  for (const c of w.cleanups) c();
  for (const l of w.loops) l.detach();
  rmSync(w.dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no page errors');
}

export function heading(host: Host) {
  return host.page.getByRole('heading', { level: 1 });
}

export async function waitHeading(host: Host, text: string | RegExp, timeout = 60_000): Promise<void> {
  await host.page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout });
}

/** Start → Image (chosen through the "native dialog"), returns once the card shows. */
export async function pickImage(host: Host, path: string): Promise<void> {
  await host.page.getByRole('button', { name: /Make a bootable stick/ }).click();
  await waitHeading(host, 'Choose the Windows 7 image');
  await host.choose(path);
  await host.page.getByRole('button', { name: /Choose an ISO file/ }).click();
}

export function driveBox(host: Host, device: string) {
  return host.page.getByRole('checkbox', { name: new RegExp(device.replace(/[/]/g, '\\/') + '$') });
}

export function cmpDeviceWithFile(device: string, file: string, length: number): boolean {
  const a = openSync(device, 'r');
  const b = openSync(file, 'r');
  try {
    const ba = Buffer.alloc(1024 * 1024);
    const bb = Buffer.alloc(1024 * 1024);
    for (let off = 0; off < length; off += ba.length) {
      const n = Math.min(ba.length, length - off);
      readSync(a, ba, 0, n, off);
      readSync(b, bb, 0, n, off);
      if (!ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
    return true;
  } finally {
    closeSync(a);
    closeSync(b);
  }
}

export type Launcher = (opts: HostOptions) => Promise<Host>;
