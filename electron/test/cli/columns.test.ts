/** Terminal columns: Chinese takes two per character, accents none; wrapping and cutting by columns. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cols, cutEndCols, cutStartCols, padEndCols, padStartCols, wrapCols } from '../../cli/columns.js';

test('widths, padding and cuts count terminal columns', () => {
  assert.equal(cols('中文ab'), 6);
  assert.equal(cols('Ŵáŕñíñĝ'), 7);
  assert.equal(padEndCols('警告:', 8), '警告:   ');
  assert.equal(cols(padEndCols('警告:', 8)), 8);
  assert.equal(padStartCols('42%', 5), '  42%');
  assert.equal(cutEndCols('安装程序没有 USB 3 驱动程序', 10), '安装程序…');
  assert.equal(cols(cutEndCols('安装程序没有 USB 3 驱动程序', 10)), 9);
  assert.equal(cutStartCols('/home/user/很长的路径/stick.img', 12), '…/stick.img');
  assert.equal(cutEndCols('short', 10), 'short');
});

test('wrapping: words where there are spaces, graphemes where there are none; no line wider than asked', () => {
  const en = wrapCols('Windows 7 setup has no USB 3 drivers: plug the stick into a USB 2 port', 20);
  assert.deepEqual(en, ['Windows 7 setup has', 'no USB 3 drivers:', 'plug the stick into', 'a USB 2 port']);
  const zh = '通过 UEFI 启动的 Windows 7 在大多数电脑上会停在“正在启动 Windows”，除非在固件中启用了 CSM（兼容性支持模块）。';
  const lines = wrapCols(zh, 30);
  assert.ok(lines.length > 2, lines.join('\n'));
  for (const l of lines) assert.ok(cols(l) <= 30, `${cols(l)} columns: ${l}`);
  assert.equal(lines.join('').replace(/ /g, ''), zh.replace(/ /g, ''));
  assert.deepEqual(wrapCols('a averyveryverylongword b', 8), ['a averyv', 'eryveryl', 'ongword', 'b']);
});
