/**
 * A planned folder's clusters as bytes: its entries (volume label or '.' and '..', then LFN + 8.3
 * entries per child), zero-padded to the folder's run.
 */
import { ATTR_ARCHIVE, ATTR_DIRECTORY, ATTR_VOLUME_ID, DIRENT_SIZE, encodeShortEntry } from './fat32/dirent.js';
import { encodeLfnEntries } from './fat32/lfn.js';
import type { DiskPlan, PlannedNode } from './plan.js';
import { shortNameChecksum } from './shortname.js';

/** The directory's clusters as bytes: its entries (LFN + 8.3), zero-padded to the run. */
export function encodeDirectory(plan: DiskPlan, dir: PlannedNode): Buffer {
  const buf = Buffer.alloc(dir.clusters * plan.clusterSize);
  let at = 0;
  const mtime = dir.source.mtime;
  if (dir.parent) {
    encodeShortEntry({ packed: '.          ', attr: ATTR_DIRECTORY, firstCluster: dir.firstCluster, size: 0, mtime }, buf, at);
    at += DIRENT_SIZE;
    // '..' of a first-level folder points at cluster 0, not at the root cluster (fatgen103).
    const up = dir.parent.parent ? dir.parent.firstCluster : 0;
    encodeShortEntry({ packed: '..         ', attr: ATTR_DIRECTORY, firstCluster: up, size: 0, mtime: dir.parent.source.mtime }, buf, at);
    at += DIRENT_SIZE;
  } else if (plan.hasLabelEntry) {
    encodeShortEntry({ packed: plan.label, attr: ATTR_VOLUME_ID, firstCluster: 0, size: 0, mtime }, buf, at);
    at += DIRENT_SIZE;
  }
  for (const c of dir.children) {
    if (c.needsLfn) at += encodeLfnEntries(c.source.name, shortNameChecksum(c.shortName), buf, at);
    encodeShortEntry(
      {
        packed: c.shortName,
        attr: c.isDirectory ? ATTR_DIRECTORY : ATTR_ARCHIVE,
        firstCluster: c.firstCluster,
        size: c.isDirectory ? 0 : c.size,
        mtime: c.source.mtime,
      },
      buf,
      at,
    );
    at += DIRENT_SIZE;
  }
  return buf;
}