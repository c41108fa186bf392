/**
 * A data dir whose disk can be filled and freed while a server runs on it, for the full-disk
 * test. Two real mechanisms, best first:
 * - a small tmpfs mounted on the dir (needs root or CAP_SYS_ADMIN, which tests and CI have):
 *   fill() writes a filler file until ENOSPC, free() removes it;
 * - when mounting is not permitted: the server's own file size limit (RLIMIT_FSIZE, through
 *   util-linux `prlimit --pid`), which makes every write past a few bytes of any file fail with
 *   EFBIG, as a full disk would (Node ignores SIGXFSZ); free() lifts the limit again.
 * `why` says which one is in use and why, for the test's diagnostics.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messageOf } from '../../../src/errors.js';

export interface SmallDisk {
  dir: string;
  mechanism: 'tmpfs' | 'rlimit';
  why: string;
  /** Makes writes fail (for the rlimit mechanism, in process `pid`). Returns bytes the filler took. */
  fill(pid: number): number;
  free(pid: number): void;
  dispose(): void;
}

const FILL_CHUNK = Buffer.alloc(64 * 1024, 0x61);

function tryMount(dir: string, sizeMb: number): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || messageOf(err);
  }
}

function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A small disk, or a string saying why neither mechanism is available. */
export function makeSmallDisk(sizeMb: number): SmallDisk | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-disk-'));
  const mountError = process.env.FOOTFALL_TEST_NO_MOUNT === '1' ? 'FOOTFALL_TEST_NO_MOUNT=1' : tryMount(dir, sizeMb);
  if (mountError === undefined) {
    const filler = path.join(dir, 'filler');
    return {
      dir,
      mechanism: 'tmpfs',
      why: `a ${sizeMb} MB tmpfs mounted on ${dir}`,
      fill() {
        const fd = fs.openSync(filler, 'a');
        let bytes = 0;
        try {
          for (;;) bytes += fs.writeSync(fd, FILL_CHUNK);
        } catch (err) {
          if ((err as { code?: string }).code !== 'ENOSPC') throw err;
        } finally {
          fs.closeSync(fd);
        }
        return bytes;
      },
      free() {
        fs.rmSync(filler, { force: true });
      },
      dispose() {
        try {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  }
  if (!hasPrlimit()) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs (${mountError}) and util-linux prlimit is missing`;
  }
  return {
    dir,
    mechanism: 'rlimit',
    why: `cannot mount a tmpfs (${mountError}); using the server's file size limit (RLIMIT_FSIZE via prlimit) instead`,
    fill(pid) {
      // Soft limit only (the hard one stays), so the same user can lift it again.
      execFileSync('prlimit', ['--pid', String(pid), '--fsize=1:'], { stdio: 'pipe' });
      return 0;
    },
    free(pid) {
      execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited:'], { stdio: 'pipe' });
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
