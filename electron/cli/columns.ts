/**
 * Terminal columns, not characters: a Chinese character takes two columns, an accent none. Every
 * table, label column, wrapped paragraph and progress line of the CLI measures text here, with
 * string-width (East Asian Width and grapheme clusters), so columns line up in every language.
 */
import stringWidth from 'string-width';

export function cols(text: string): number {
  return stringWidth(text);
}

export function padEndCols(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cols(text)));
}

export function padStartCols(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - cols(text))) + text;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The text cut at the end to `width` columns, "…" marking the cut. */
export function cutEndCols(text: string, width: number): string {
  if (cols(text) <= width) return text;
  let out = '';
  for (const g of graphemes(text)) {
    if (cols(out + g) > width - 1) break;
    out += g;
  }
  return out + '…';
}

/** The text cut at the start to `width` columns (a path keeps its end), "…" marking the cut. */
export function cutStartCols(text: string, width: number): string {
  if (cols(text) <= width) return text;
  let out = '';
  for (const g of graphemes(text).reverse()) {
    if (cols(g + out) > width - 1) break;
    out = g + out;
  }
  return '…' + out;
}

/**
 * Words into lines of at most `width` columns. Text without spaces (Chinese) and words longer than a
 * line break between graphemes.
 */
export function wrapCols(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  const push = (): void => {
    out.push(line);
    line = '';
  };
  for (const word of text.split(' ')) {
    const sep = line ? ' ' : '';
    if (cols(line + sep + word) <= width) {
      line += sep + word;
      continue;
    }
    if (line && cols(word) <= width) {
      push();
      line = word;
      continue;
    }
    // Too long for any line: fill this one, then go on grapheme by grapheme.
    for (const g of graphemes(sep + word)) {
      if (cols(line + g) > width && line.trim()) push();
      if (!(line === '' && g === ' ')) line += g;
    }
  }
  out.push(line);
  return out;
}
