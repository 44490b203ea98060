/**
 * The app's log file (Help → Open Log File): one timestamped line per event, appended synchronously
 * so a crash still leaves the last lines; rotated once it passes 2 MB. Pure Node.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const MAX_BYTES = 2 * 1024 * 1024;

export class LogFile {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      if (statSync(path).size > MAX_BYTES) renameSync(path, `${path}.1`);
    } catch {
      // no log yet
    }
  }

  write(line: string): void {
    try {
      appendFileSync(this.path, `${new Date().toISOString()} ${line.replace(/\r?\n/g, ' ⏎ ')}\n`);
    } catch {
      // A log that cannot be written must never break a write job.
    }
  }
}
