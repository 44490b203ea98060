/**
 * The helper's decisions one by one: fail-closed drive enumeration, what authorizeTarget lets through
 * (stubbed OS facts), the post-open re-check, and the identity binding of Target.open for real —
 * a path that names something else by the time it is opened is refused before any byte moves.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePath, devNumber, linuxHolderNumbers, listDrives, runWriteJob, setDriveSources, SevenStickError, Target, type Drive } from '../../engine/index.js';
import { authorizeTarget, helperDriveList, type AuthorizeDeps } from '../../helper/authorize.js';
import { identityOf } from '../../helper/identity.js';
import { Refusal } from '../../helper/refusal.js';
import type { ConfirmedTarget } from '../../shared/contract.js';
import { confirmOpened } from '../../helper/server.js';
import { run, runOk, runOkSync, tempDir } from '../helpers/tools.js';
import { fakeStick } from '../helpers/drives.js';

const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;

const stick: Drive = fakeStick;

const blockStat = { isBlockDevice: () => true, isSymbolicLink: () => false, isFile: () => false, isCharacterDevice: () => false, rdev: 0x8f0 };

function deps(over: Partial<AuthorizeDeps> = {}, drive: Drive = stick): AuthorizeDeps {
  return { listDrives: async () => [drive], describe: async () => drive, lstat: () => blockStat, ownerOf: () => 1000, ...over };
}

const who = { requester: { uid: 1000, gid: 1000 }, job: 'write' as const };
const confirmed: ConfirmedTarget = { path: '/dev/sdz', size: 16e9, serial: 'serial:ABC' };
const refusal = (re: RegExp) => (e: unknown) => e instanceof Refusal && e.error.code === 'E_SAFETY' && re.test(e.error.message);

test('the helper\'s drive list fails closed: a source that cannot be read refuses, it is never skipped', async () => {
  await assert.rejects(helperDriveList([async () => [stick], async () => Promise.reject(new Error('lsblk: not found'))]), refusal(/Cannot list the drives.*lsblk/));
  assert.deepEqual((await helperDriveList([async () => [stick], async () => [{ ...stick, device: '/dev/loop9' }]])).map((d) => d.device), ['/dev/loop9', '/dev/sdz']);
  await assert.rejects(authorizeTarget(confirmed, who, deps({ listDrives: async () => Promise.reject(new Refusal({ code: 'E_SAFETY', message: 'The list of drives could not be read' })) })), refusal(/could not be read/));
});

test('listDrives({strict}) throws where the lenient list skips a broken source', async () => {
  const prev = setDriveSources([async () => Promise.reject(new Error('boom'))]);
  try {
    assert.deepEqual(await listDrives({ all: true }), []);
    await assert.rejects(listDrives({ all: true, strict: true }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_DEVICE' && /boom/.test(e.message));
  } finally {
    setDriveSources(prev);
  }
});

test('authorizeTarget lets through only a listed whole drive that is still the one confirmed', async () => {
  assert.equal((await authorizeTarget(confirmed, who, deps())).device, '/dev/sdz');
  const theirLoop: Drive = { ...stick, backingFile: '/srv/x.img', serial: null };
  const cases: Array<[string, Partial<AuthorizeDeps>, Drive | undefined, RegExp, ConfirmedTarget?]> = [
    ['not listed', { listDrives: async () => [] }, undefined, /not a drive this system lists/],
    ['a link', { lstat: () => ({ ...blockStat, isSymbolicLink: () => true, isBlockDevice: () => false }) }, undefined, /is a link/],
    ['a file', { lstat: () => ({ ...blockStat, isFile: () => true, isBlockDevice: () => false }) }, undefined, /is a file/],
    ['a character device', { lstat: () => ({ ...blockStat, isCharacterDevice: () => true, isBlockDevice: () => false }) }, undefined, /not a drive/],
    ['a partition', {}, { ...stick, isPartition: true }, /partition/],
    ['the system disk (drivelist says so)', { listDrives: async () => [{ ...stick, isSystem: true }] }, undefined, /system drive/],
    ['the system disk (sysfs says so)', {}, { ...stick, isSystem: true }, /system drive/],
    ['another size', {}, { ...stick, size: 32e9 }, /not the drive you confirmed/],
    ['another serial', {}, { ...stick, serial: 'XYZ' }, /serial changed/],
    ['read-only', {}, { ...stick, readOnly: true }, /read-only/],
    ['a loop device over somebody else\'s file', { ownerOf: () => 0 }, theirLoop, /not yours/, { ...confirmed, serial: identityOf(theirLoop) }],
  ];
  for (const [what, over, drive, re, conf] of cases) {
    await assert.rejects(authorizeTarget(conf ?? confirmed, who, deps(over, drive ?? stick)), refusal(re), what);
  }
  // The same loop device over the requester's own file goes through.
  const loop: Drive = { ...stick, backingFile: '/home/u/x.img', serial: null };
  assert.equal((await authorizeTarget({ ...confirmed, serial: identityOf(loop) }, who, deps({}, loop))).device, '/dev/sdz');
  // A verify reads: read-only is fine there, the system disk is not.
  assert.ok(await authorizeTarget(confirmed, { ...who, job: 'verify' }, deps({}, { ...stick, readOnly: true })));
  await assert.rejects(authorizeTarget(confirmed, { ...who, job: 'verify' }, deps({}, { ...stick, isSystem: true })), refusal(/system drive/));
});

test('confirmOpened refuses an open target whose device no longer matches what the user confirmed', async () => {
  const t = { path: '/dev/sdz', drive: stick } as unknown as Target;
  await confirmOpened([confirmed], async () => stick)([t]);
  await assert.rejects(confirmOpened([confirmed], async () => ({ ...stick, size: 8e9 }))([t]), refusal(/not the drive you confirmed/));
  await assert.rejects(confirmOpened([confirmed], async () => ({ ...stick, identity: { rdev: 0x811 } }))([t]), refusal(/not the drive you confirmed/));
  await assert.rejects(confirmOpened([confirmed], async () => ({ ...stick, serial: 'other' }))([t]), refusal(/not the drive you confirmed/));
});

test('holders: what is stacked on a disk (LVM, LUKS, RAID), any depth, counts as the disk\'s', () => {
  const t = tempDir();
  try {
    const mk = (p: string, dev?: string): void => {
      runOkSync('mkdir', ['-p', join(t.path, p)]);
      if (dev) writeFileSync(join(t.path, p, 'dev'), dev + '\n');
    };
    mk('sda', '8:0');
    mk('sda/holders');
    mk('sda/sda1', '8:1');
    writeFileSync(join(t.path, 'sda/sda1/partition'), '1\n');
    mk('sda/sda1/holders/dm-0');
    mk('sda/sda2', '8:2');
    writeFileSync(join(t.path, 'sda/sda2/partition'), '2\n');
    mk('sda/sda2/holders/md127');
    mk('dm-0', '253:0');
    mk('dm-0/holders/dm-1');
    mk('dm-1', '253:1');
    mk('dm-1/holders');
    mk('md127', '9:127');
    mk('md127/holders');
    assert.deepEqual([...linuxHolderNumbers('sda', t.path)].sort(), ['253:0', '253:1', '9:127']);
    mk('sdb', '8:16');
    assert.deepEqual([...linuxHolderNumbers('sdb', t.path)], []);
  } finally {
    t.cleanup();
  }
});

test('Target.open refuses a file that was replaced at the path after it was checked, and a link', async () => {
  const t = tempDir();
  try {
    const path = join(t.path, 'disk.img');
    writeFileSync(path, Buffer.alloc(MiB, 1));
    const checked = await describePath(path);
    const other = join(t.path, 'other.img');
    writeFileSync(other, Buffer.alloc(MiB, 2));
    renameSync(other, path);
    await assert.rejects(Target.open(checked, { write: true }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_SAFETY' && /another file is at that path/.test(e.message));
    assert.deepEqual(readFileSync(path), Buffer.alloc(MiB, 2));

    // A link at the checked name is never followed.
    const victim = join(t.path, 'victim.img');
    writeFileSync(victim, Buffer.alloc(MiB, 3));
    rmSync(path);
    symlinkSync(victim, path);
    await assert.rejects(Target.open(checked, { write: true }), (e: unknown) => e instanceof SevenStickError);
    assert.deepEqual(readFileSync(victim), Buffer.alloc(MiB, 3));
  } finally {
    t.cleanup();
  }
});

const loops: string[] = [];
after(async () => {
  for (const l of loops) await run('losetup', ['-d', l]);
});

test('Target.open refuses a device node that names another device by the time it is opened', { skip: isRoot ? false : 'needs root for losetup and mknod' }, async () => {
  const t = tempDir();
  try {
    const a = join(t.path, 'a.img');
    const b = join(t.path, 'b.img');
    writeFileSync(a, Buffer.alloc(4 * MiB));
    writeFileSync(b, Buffer.alloc(4 * MiB, 0x62));
    const la = (await runOk('losetup', ['-f', '--show', a])).stdout.trim();
    loops.push(la);
    const lb = (await runOk('losetup', ['-f', '--show', b])).stdout.trim();
    loops.push(lb);
    const node = join(t.path, 'stick');
    const numbers = (dev: string): [string, string] => devNumber(statSync(dev).rdev).split(':') as [string, string];
    await runOk('mknod', [node, 'b', ...numbers(la)]);
    const checked = await describePath(node);
    assert.deepEqual(checked.identity, { rdev: statSync(la).rdev });
    rmSync(node);
    await runOk('mknod', [node, 'b', ...numbers(lb)]);
    await assert.rejects(Target.open(checked, { write: true }), (e: unknown) => e instanceof SevenStickError && e.code === 'E_SAFETY' && /device number changed/.test(e.message));
    assert.deepEqual(readFileSync(b), Buffer.alloc(4 * MiB, 0x62));
  } finally {
    t.cleanup();
  }
});

test('a write job refused once its targets are open writes nothing at all (not even zeros over sector 0)', async () => {
  const t = tempDir();
  try {
    const image = join(t.path, 'raw.img');
    const target = join(t.path, 'target.img');
    writeFileSync(image, Buffer.alloc(64 * 1024, 0x11));
    writeFileSync(target, Buffer.alloc(MiB, 0x77));
    await assert.rejects(
      runWriteJob({
        image,
        targets: [target],
        mode: 'raw',
        verify: true,
        onOpened: async () => {
          throw new Refusal({ code: 'E_SAFETY', message: 'not the drive you confirmed' });
        },
      }),
      refusal(/not the drive you confirmed/),
    );
    assert.deepEqual(readFileSync(target), Buffer.alloc(MiB, 0x77));
  } finally {
    t.cleanup();
  }
});
