/**
 * What the e2e specs share: a screenshot + axe per step, a world of temp files and loop devices torn
 * down after each test, and the few page moves every flow starts with.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { englishMessages, type MessageKey } from '../electron/shared/i18n/catalog.js';
import type { Locale } from '../electron/shared/i18n/locales.js';
import { createTranslator, type MessageValues } from '../electron/shared/i18n/translator.js';
import type { Host, HostOptions } from './host.js';
import type { Loop } from './util.js';


export const isRoot = process.getuid?.() === 0;

/** axe's violations on the page as it is, one line each (empty: none). */
export async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

/** Screenshot + axe for one step: no violations allowed. */
export async function step(host: Host, name: string): Promise<void> {
  await host.shot(name);
  assert.deepEqual(await axeViolations(host.page), [], `axe violations on step "${name}"`);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The values that make an English catalog message say exactly `english`: {} when it is that text, or
 * the value choosing a plural/select branch of plain text (`{count, plural, one {Your stick is ready}
 * other {…}}` says "Your stick is ready" for count 1); null when it never does.
 */
export function valuesSaying(message: string, english: string): MessageValues | null {
  if (message === english) return {};
  const ast = parse(message);
  const el = ast[0];
  if (ast.length !== 1 || !el || (el.type !== TYPE.plural && el.type !== TYPE.select)) return null;
  for (const [k, o] of Object.entries(el.options)) {
    const only = o.value.length === 1 ? o.value[0] : undefined;
    if (only?.type !== TYPE.literal || only.value !== english) continue;
    const PLURAL: Record<string, number> = { zero: 0, one: 1, two: 2, few: 3, many: 11, other: 5 };
    return { [el.value]: el.type === TYPE.select ? k : k.startsWith('=') ? Number(k.slice(1)) : (PLURAL[k] ?? 5) };
  }
  return null;
}

/**
 * What the wizard shows for an English text in a language, as a pattern for Playwright's name/text
 * matching: the text of every catalog message that says exactly `english` (valuesSaying), in `locale`
 * (the pseudo-locale's or a translation, English where a catalog has none yet), and the English itself
 * (a text the renderer does not take from a catalog yet). English: the text as it is, matched as before.
 */
export function say(locale: Locale, english: string): string | RegExp {
  if (locale === 'en') return english;
  const tr = createTranslator(locale);
  const texts = new Set([english]);
  for (const [k, m] of Object.entries(englishMessages()) as Array<[MessageKey, string]>) {
    const values = valuesSaying(m, english);
    if (values) texts.add(tr.t(k, values));
  }
  return new RegExp([...texts].map(escapeRe).join('|'));
}

/** One piece of text that does not fit: where it is and the boxes that show it. */
export interface FitProblem {
  kind: 'clipped' | 'outside-box' | 'outside-viewport' | 'select-clipped' | 'page-scrolls-sideways';
  text: string;
  element: string;
  detail: string;
}

/**
 * Everything on the page that does not fit, measured on the element boxes: (1) an element with text
 * whose overflow is hidden/clip and whose content is larger than its client box; (2) a text node whose
 * line boxes (Range client rects) reach outside an element that holds it (up to the first scroll
 * container) or outside the viewport horizontally; (3) a <select> whose chosen option is wider than the
 * select (unless an <output for="<select id>"> shows the choice in full),
 * room it has; (4) the document scrolling sideways. Visually hidden (1 px, screen reader) text is left out.
 */
export async function fitProblems(page: Page): Promise<FitProblem[]> {
  return page.evaluate(() => {
    const out: FitProblem[] = [];
    const TOL = 1.5;
    const vw = document.documentElement.clientWidth;
    const describe = (el: Element): string => {
      const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}`;
    };
    const box = (r: DOMRect): string => `[x ${Math.round(r.left)}..${Math.round(r.right)}, y ${Math.round(r.top)}..${Math.round(r.bottom)}]`;
    const short = (t: string): string => {
      const s = t.replace(/\s+/g, ' ').trim();
      return s.length > 80 ? s.slice(0, 77) + '…' : s;
    };
    const tiny = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width <= 2 || r.height <= 2;
    };
    /** Shown, and not the 1 px screen-reader-only kind (those are clipped on purpose). */
    const shown = (el: Element): boolean => {
      if (!el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true })) return false;
      for (let e: Element | null = el; e; e = e.parentElement) if (tiny(e) && getComputedStyle(e).overflow !== 'visible') return false;
      return true;
    };
    const clips = (v: string): boolean => v === 'hidden' || v === 'clip';
    const scrolls = (v: string): boolean => v === 'auto' || v === 'scroll';

    // (1) Clipping boxes with text that is larger than them.
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!(el instanceof HTMLElement) || !el.innerText?.trim() || !shown(el)) continue;
      const st = getComputedStyle(el);
      const overX = clips(st.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const overY = clips(st.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (overX || overY) {
        out.push({ kind: 'clipped', text: short(el.innerText), element: describe(el), detail: `content ${el.scrollWidth}×${el.scrollHeight} in a ${el.clientWidth}×${el.clientHeight} box (overflow ${st.overflowX}/${st.overflowY})` });
      }
    }

    // (2) Every text node's lines inside the boxes that hold it and inside the viewport.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      const parent = n.parentElement;
      if (!text.trim() || !parent || parent.closest('script, style, select, option, template') || !shown(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5);
      // Glyphs may reach a little above/below a tight line box (line-height < 1.2): allow a fifth of the font size vertically.
      const vt = Math.max(TOL, parseFloat(getComputedStyle(parent).fontSize) * 0.2);
      const offence = (r: DOMRect): FitProblem | null => {
        if (r.left < -TOL || r.right > vw + TOL) return { kind: 'outside-viewport', text: short(text), element: describe(parent), detail: `text ${box(r)} vs viewport width ${vw}` };
        // Up to the page shell (body, #root: as tall as the window; the document scrolls what is longer).
        for (let el: Element | null = parent; el && el !== document.body && el.id !== 'root'; ) {
          const b = el.getBoundingClientRect();
          if (r.left < b.left - TOL || r.right > b.right + TOL || r.top < b.top - vt || r.bottom > b.bottom + vt) {
            return { kind: 'outside-box', text: short(text), element: describe(el), detail: `text ${box(r)} outside ${box(b)}` };
          }
          const st = getComputedStyle(el);
          if (scrolls(st.overflowX) || scrolls(st.overflowY) || st.position === 'fixed') break;
          el = st.position === 'absolute' ? (el as HTMLElement).offsetParent : el.parentElement;
        }
        return null;
      };
      for (const r of rects) {
        const o = offence(r);
        if (o) {
          out.push(o);
          break;
        }
      }
    }

    // (3) A select shows its chosen option on one line: the text must fit beside the arrow.
    const canvas = document.createElement('canvas').getContext('2d');
    for (const sel of Array.from(document.querySelectorAll('select'))) {
      const opt = sel.selectedOptions[0];
      if (!canvas || !opt || !shown(sel)) continue;
      const st = getComputedStyle(sel);
      canvas.font = `${st.fontStyle} ${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
      const need = canvas.measureText(opt.text).width;
      const arrow = st.appearance === 'none' ? 0 : parseFloat(st.fontSize) * 1.25;
      const room = sel.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - arrow;
      // A narrow window may cut a long choice if the page also writes it out in full (<output for=…>).
      const spelled = sel.id ? Array.from(document.querySelectorAll(`output[for~="${CSS.escape(sel.id)}"]`)).some((o) => shown(o) && (o.textContent ?? '').includes(opt.text.trim())) : false;
      if (need > room + TOL && !spelled) out.push({ kind: 'select-clipped', text: short(opt.text), element: describe(sel), detail: `text ${Math.round(need)} px wide, room ${Math.round(room)} px` });
    }

    // (4) No sideways scrolling of the whole page.
    const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (over > 1) out.push({ kind: 'page-scrolls-sideways', text: '', element: 'html', detail: `document ${document.documentElement.scrollWidth} px wide in a ${vw} px viewport` });
    return out;
  });
}

/**
 * The text a user meets on the page: every shown text node (screen-reader-only text too), the chosen
 * option of each select, and the names given in attributes (aria-label, title, alt, placeholder) —
 * one entry per piece. Elements matching `skip` (code, engine details) are left out.
 */
export async function pageTexts(page: Page, skip = 'code, script, style, template'): Promise<string[]> {
  return page.evaluate((skipSel) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      const t = n.textContent?.trim();
      if (!t || !p || p.closest(skipSel) || p.closest('select') || !p.checkVisibility({ checkVisibilityCSS: true })) continue;
      out.push(t);
    }
    for (const sel of Array.from(document.querySelectorAll('select'))) {
      const t = sel.selectedOptions[0]?.text.trim();
      if (t && !sel.closest(skipSel) && sel.checkVisibility({ checkVisibilityCSS: true })) out.push(t);
    }
    for (const el of Array.from(document.body.querySelectorAll('[aria-label], [title], [alt], [placeholder]'))) {
      if (el.closest(skipSel) || !el.checkVisibility({ checkVisibilityCSS: true })) continue;
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  }, skip);
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

/** Start → Image (chosen through the "native dialog"), returns once the card shows. The wizard speaks `locale`. */
export async function pickImage(host: Host, path: string, locale: Locale = 'en'): Promise<void> {
  await host.page.getByRole('button', { name: say(locale, 'Make a bootable stick') }).click();
  await waitHeading(host, say(locale, 'Choose the Windows 7 image'));
  await host.choose(path);
  await host.page.getByRole('button', { name: say(locale, 'Choose an ISO file…') }).click();
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
