#!/usr/bin/env node
// etcher-sdk peer runner for bench/device.mjs: writes a raw image file to a block device and verifies it
// the way Etcher does (sourceDestination.File → multiWrite.pipeSourceToDestinations with verify: true:
// XXH3 of the source while writing, then an O_DIRECT read-back hashed and compared).
//   node bench/peers/etcher-write.mjs --sdk <dir from etcher-sdk.sh> <image> <device>
// etcher-sdk's device list (drivelist) hides /dev/loop*, so the BlockDevice destination gets a drive
// object built by hand from `blockdev`. Prints one JSON line on stdout:
//   {"version", "seconds" (total), "flashing", "verifying" (s), "bytesWritten", "bytesVerified", "size", "alignment"}
// Exit status 1 (and an "error" field) if the write or the verification fails.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const at = args.indexOf('--sdk');
if (at < 0 || args.length !== 4) {
  console.error('usage: node etcher-write.mjs --sdk <peer dir> <image> <device>');
  process.exit(2);
}
const sdkDir = resolve(args[at + 1]);
const [image, device] = args.filter((_, i) => i !== at && i !== at + 1);
const require = createRequire(join(sdkDir, 'package.json'));
const sdk = require('etcher-sdk');
const version = require('etcher-sdk/package.json').version;

const blockdev = (flag) => Number(execFileSync('blockdev', [flag, device], { encoding: 'utf8' }).trim());
/** The fields drivelist would report for a removable USB stick (see drivelist's Drive type). */
const drive = {
  device,
  raw: device,
  devicePath: null,
  description: `bench loop device ${device}`,
  size: blockdev('--getsize64'),
  blockSize: blockdev('--getpbsz'),
  logicalBlockSize: blockdev('--getss'),
  mountpoints: [],
  isReadOnly: false,
  isRemovable: true,
  isSystem: false,
  isVirtual: false,
  isUSB: true,
  isSCSI: false,
  isCard: null,
  isUAS: null,
  busType: 'USB',
  busVersion: null,
  enumerator: 'bench',
  error: null,
  partitionTableType: null,
};

const source = new sdk.sourceDestination.File({ path: image });
const destination = new sdk.sourceDestination.BlockDevice({ drive, write: true, direct: true, unmountOnSuccess: false });

const now = () => performance.now() / 1000;
// multiWrite asks each destination for a verifier once flashing is done: that call marks the phase change
// and carries the byte count it will read back (Etcher verifies the size the write stream last reported).
let verifyStart = NaN;
let verifySize = null;
const createVerifier = destination.createVerifier.bind(destination);
destination.createVerifier = (checksumOrBlocks, size) => {
  verifyStart = now();
  verifySize = size ?? null;
  return createVerifier(checksumOrBlocks, size);
};
let failure = null;
const t0 = now();
try {
  const result = await sdk.multiWrite.pipeSourceToDestinations({
    source,
    destinations: [destination],
    verify: true,
    numBuffers: 16, // Etcher's default
    onFail: (_dest, error) => {
      failure = error;
    },
    onProgress: () => {},
  });
  const t1 = now();
  if (Number.isNaN(verifyStart)) throw new Error('etcher-sdk did not verify');
  const failures = [...result.failures.values()].map((e) => String(e?.message ?? e));
  if (failure !== null && failures.length === 0) failures.push(String(failure?.message ?? failure));
  const out = {
    version,
    seconds: t1 - t0,
    flashing: verifyStart - t0,
    verifying: t1 - verifyStart,
    bytesWritten: result.bytesWritten,
    bytesVerified: verifySize,
    size: result.sourceMetadata.size,
    alignment: destination.getAlignment(),
  };
  if (verifySize !== out.size) failures.push(`verified ${verifySize} of ${out.size} bytes`);
  if (failures.length > 0) {
    console.log(JSON.stringify({ ...out, error: failures.join('; ') }));
    process.exit(1);
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.log(JSON.stringify({ version, error: String(e?.stack ?? e) }));
  process.exit(1);
}
