/**
 * The customization crossing trust boundaries: the IPC validators (exact keys, the 256 KiB cap) and
 * the helper's re-check, which refuses a malformed or wrong-architecture answer file before anything
 * is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientMessage } from '../../shared/helper-protocol.js';
import { MAX_ANSWER_XML_BYTES, validateRequest } from '../../shared/validate.js';
import { checkedCustomization } from '../../helper/server.js';
import { Refusal } from '../../helper/refusal.js';
import { fixture } from '../helpers/tools.js';

const windows = { edition: 2, onlyEdition: true, showAllEditions: false, unattendXml: '<unattend/>' };
const write = { jobId: 'job-12345678', image: '/tmp/win7.iso', targets: [{ path: '/dev/sdz', size: 1, serial: null }], mode: 'auto', verify: true };

test('WriteRequest.windows: exact keys, onlyEdition needs an edition, unattendXml at most 256 KiB', () => {
  assert.deepEqual(validateRequest('write:start', { ...write, windows }).windows, windows);
  assert.equal(validateRequest('write:start', write).windows, undefined);
  assert.throws(() => validateRequest('write:start', { ...write, windows: { ...windows, extra: 1 } }), /unexpected field "extra"/);
  assert.throws(() => validateRequest('write:start', { ...write, windows: { edition: 1, onlyEdition: false, showAllEditions: false } }), /unattendXml/);
  assert.throws(() => validateRequest('write:start', { ...write, windows: { ...windows, edition: null } }), /needs an edition/);
  assert.throws(() => validateRequest('write:start', { ...write, windows: { ...windows, unattendXml: 'x'.repeat(MAX_ANSWER_XML_BYTES + 1) } }), /longer|larger/);
  assert.throws(() => validateRequest('write:start', { ...write, windows: { ...windows, unattendXml: 'é'.repeat(MAX_ANSWER_XML_BYTES / 2 + 1) } }), /larger than/);
  assert.throws(() => validateRequest('write:start', { ...write, extra: true }), /unexpected field/);
  assert.throws(() => validateRequest('answers:generate', { image: '/tmp/a.iso', preset: {}, password: null, more: 1 }), /unexpected field/);
  assert.deepEqual(validateRequest('answers:generate', { image: '/tmp/a.iso', preset: { version: 1 }, password: 'pw' }), { image: '/tmp/a.iso', preset: { version: 1 }, password: 'pw' });
});

test('the helper protocol carries the same windows object, validated alike', () => {
  const job = { image: write.image, targets: write.targets, mode: 'auto', verify: true };
  const ok = parseClientMessage(JSON.stringify({ type: 'write', job: { ...job, windows } }));
  assert.equal(ok.type, 'write');
  assert.deepEqual(ok.type === 'write' ? ok.job.windows : null, windows);
  assert.throws(() => parseClientMessage(JSON.stringify({ type: 'write', job: { ...job, windows: { ...windows, evil: true } } })), /unexpected field/);
  const big = JSON.stringify({ type: 'write', job: { ...job, windows: { ...windows, unattendXml: 'x'.repeat(MAX_ANSWER_XML_BYTES) } } });
  assert.equal((parseClientMessage(big) as { type: string }).type, 'write', 'a 256 KiB answer file fits one line');
});

test('the helper refuses a malformed or wrong-architecture answer file before anything is written', async () => {
  const iso = await fixture('win7-iso-editions.sh', [], 'fleet-win7-editions');
  const good =
    '<?xml version="1.0" encoding="utf-8"?><unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="windowsPE">' +
    '<component name="Microsoft-Windows-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"/></settings></unattend>';
  const req = { edition: 2, onlyEdition: true, showAllEditions: true, unattendXml: good };
  const w = await checkedCustomization(iso, req);
  assert.equal(w.edition, 2);
  assert.ok(w.unattend?.equals(Buffer.from(good)));
  for (const [what, xml] of [
    ['malformed', '<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings>'],
    ['wrong architecture', good.replace('amd64', 'x86')],
    ['not an answer file', '<html/>'],
  ] as const) {
    await assert.rejects(checkedCustomization(iso, { ...req, unattendXml: xml }), (e: unknown) => {
      assert.ok(e instanceof Refusal, what);
      assert.equal(e.error.code, 'E_BAD_REQUEST', what);
      assert.match(e.error.message, /Nothing was written/);
      return true;
    });
  }
  await assert.rejects(checkedCustomization(iso, { ...req, edition: 9 }), Refusal);
});
