/**
 * The pseudo-locale's messages, made from the English ones: every letter of the literal text accented
 * and the text padded by 40 % (long languages like German or Russian run 30–40 % longer than English),
 * with the ICU structure (placeholders, plurals, selects, tags) kept as it is. Pure.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';

const ACCENTED: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'đ', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ľ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ü', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Đ', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ľ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ü', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** How much longer pseudo text is than the English. */
export const PSEUDO_GROWTH = 0.4;

function accent(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => ACCENTED[c] ?? c);
}

/** Filler in word-sized pieces, so the padded text wraps like real words do. */
function filler(n: number): string {
  const word = 'ŵöŕđšéţ';
  let out = '';
  while (out.length < n) out += (out ? ' ' : '') + word.slice(0, Math.min(word.length, n - out.length - (out ? 1 : 0)) || 1);
  return out;
}

function letters(elements: readonly MessageFormatElement[]): number {
  let n = 0;
  for (const el of elements) if (el.type === TYPE.literal) n += el.value.length;
  return n;
}

function transform(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((el) => {
    if (el.type === TYPE.literal) return { ...el, value: accent(el.value) };
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: pseudoOptionValue(o.value) }]));
      return { ...el, options };
    }
    if (el.type === TYPE.tag) return { ...el, children: transform(el.children) };
    return el;
  });
}

function pseudoOptionValue(value: MessageFormatElement[]): MessageFormatElement[] {
  return pad(transform(value), letters(value));
}

function pad(elements: MessageFormatElement[], length: number): MessageFormatElement[] {
  const extra = Math.ceil(length * PSEUDO_GROWTH);
  if (extra === 0) return elements;
  return [...elements, { type: TYPE.literal, value: ' ' + filler(extra - 1) }];
}

/** One English message as pseudo text; text outside plurals and selects is padded as a whole. */
export function pseudoMessage(message: string): string {
  const ast = parse(message);
  return printAST(pad(transform(ast), letters(ast)));
}

export function pseudoCatalog(messages: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([k, m]) => [k, pseudoMessage(m)]));
}
