/**
 * The DuckDB store's salts, kept outside the DuckDB file in a small file of fixed-size slots that
 * are overwritten in place. Why: a salt deleted from a DuckDB table stays readable in the
 * database file's freed blocks (DuckDB neither zeroes nor promptly reuses them; measured: every
 * deleted salt of a week was still in footfall.duckdb), and with a salt an old visitor hash can
 * be linked again by hashing candidate IP + User-Agent pairs. Here deleting a salt writes zeros
 * over its slot and fsyncs, so its bytes are gone from the file (on file systems that overwrite
 * in place, such as ext4 and xfs; see SECURITY.md for copy-on-write ones and backups).
 *
 * Layout: slots of SLOT_BYTES, each either all zeros (free) or
 *   u8 version (1) | f64 created_at ms (LE) | u8 period length | period (UTF-8, <= 64 B) |
 *   u8 secret length | secret (UTF-8, <= 128 B) | zero padding | u32 CRC-32 of the bytes before it.
 * A slot never crosses a 512-byte sector, so a crash mid-write tears at most that slot, and its
 * CRC then fails: it reads as free, and the salt of that period is made again.
 *
 * One writer: the DuckDB store opens it read-write only while it holds the DuckDB file's lock.
 */
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { AppError, messageOf } from '../../errors.js';
import type { Salt } from '../store.js';

const SLOT_BYTES = 256;
const VERSION = 1;
const MAX_PERIOD_BYTES = 64;
const MAX_SECRET_BYTES = 128;
const CRC_AT = SLOT_BYTES - 4;

interface Entry extends Salt {
  slot: number;
}

function encode(salt: Salt): Buffer {
  const period = Buffer.from(salt.period, 'utf8');
  const secret = Buffer.from(salt.secret, 'utf8');
  if (period.length > MAX_PERIOD_BYTES || secret.length > MAX_SECRET_BYTES) {
    throw new AppError('store', `duckdb: salt ${salt.period} does not fit a salt slot`);
  }
  const slot = Buffer.alloc(SLOT_BYTES);
  let at = slot.writeUInt8(VERSION, 0);
  at = slot.writeDoubleLE(salt.createdAt, at);
  at = slot.writeUInt8(period.length, at);
  at += period.copy(slot, at);
  at = slot.writeUInt8(secret.length, at);
  secret.copy(slot, at);
  slot.writeUInt32LE(crc32(slot.subarray(0, CRC_AT)), CRC_AT);
  return slot;
}

/** The salt in a slot, or undefined for a free, torn or unknown one. */
function decode(slot: Buffer): Salt | undefined {
  if (slot.length !== SLOT_BYTES || slot.readUInt8(0) !== VERSION) return undefined;
  if (slot.readUInt32LE(CRC_AT) !== crc32(slot.subarray(0, CRC_AT))) return undefined;
  const createdAt = slot.readDoubleLE(1);
  const periodLength = slot.readUInt8(9);
  const period = slot.toString('utf8', 10, 10 + periodLength);
  const secretAt = 10 + periodLength;
  const secretLength = slot.readUInt8(secretAt);
  const secret = slot.toString('utf8', secretAt + 1, secretAt + 1 + secretLength);
  return { period, secret, createdAt };
}

/** Every salt stored in the file at `file` (none when it does not exist). */
export function readSaltFile(file: string): Salt[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const salts: Salt[] = [];
  for (let at = 0; at + SLOT_BYTES <= bytes.length; at += SLOT_BYTES) {
    const salt = decode(bytes.subarray(at, at + SLOT_BYTES));
    if (salt) salts.push(salt);
  }
  return salts;
}

export class SaltFile {
  private readonly entries = new Map<string, Entry>();
  private readonly free: number[] = [];
  private slots = 0;

  private constructor(private readonly file: string | undefined, private readonly fd: number | undefined) {}

  /** Salts held in memory only, for an in-memory database (tests): gone with the process. */
  static inMemory(): SaltFile {
    return new SaltFile(undefined, undefined);
  }

  /** Opens (read-write: creates) the salt file; read-only opens never write and see the salts as of opening. */
  static open(file: string, readOnly: boolean): SaltFile {
    let fd: number | undefined;
    try {
      if (!readOnly) fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+', 0o600);
    } catch (err) {
      throw new AppError('store', `duckdb: cannot open the salt file ${file}: ${messageOf(err)}`);
    }
    const salts = new SaltFile(file, fd);
    salts.load();
    return salts;
  }

  private load(): void {
    if (this.file === undefined) return;
    const bytes = this.fd === undefined
      ? (fs.existsSync(this.file) ? fs.readFileSync(this.file) : Buffer.alloc(0))
      : fs.readFileSync(this.fd);
    this.slots = Math.floor(bytes.length / SLOT_BYTES);
    const zeros = Buffer.alloc(SLOT_BYTES);
    let cleared = false;
    for (let slot = 0; slot < this.slots; slot++) {
      const bytesOfSlot = bytes.subarray(slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES);
      const salt = decode(bytesOfSlot);
      if (salt && !this.entries.has(salt.period)) {
        this.entries.set(salt.period, { ...salt, slot });
        continue;
      }
      this.free.push(slot);
      // A torn write (a crash mid-slot) may have left part of a secret: clear it now.
      if (this.fd !== undefined && !bytesOfSlot.equals(zeros)) {
        this.writeSlot(slot, zeros, false);
        cleared = true;
      }
    }
    if (cleared) this.sync();
  }

  get(period: string): Salt | undefined {
    const entry = this.entries.get(period);
    return entry && { period: entry.period, secret: entry.secret, createdAt: entry.createdAt };
  }

  /** Stores a salt for a period that has none; durable (fsync) when it returns. */
  add(salt: Salt): void {
    if (this.entries.has(salt.period)) return;
    const bytes = encode(salt);
    const slot = this.free.shift() ?? this.slots++;
    this.writeSlot(slot, bytes);
    this.entries.set(salt.period, { ...salt, slot });
  }

  /** Overwrites with zeros (fsync) every salt created before `olderThanMs`; returns how many. */
  deleteBefore(olderThanMs: number): number {
    const old = [...this.entries.values()].filter((e) => e.createdAt < olderThanMs);
    const zeros = Buffer.alloc(SLOT_BYTES);
    for (const entry of old) {
      this.writeSlot(entry.slot, zeros, false);
      this.entries.delete(entry.period);
      this.free.push(entry.slot);
    }
    if (old.length > 0) this.sync();
    this.free.sort((a, b) => a - b);
    return old.length;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }

  private writeSlot(slot: number, bytes: Buffer, sync = true): void {
    if (this.file === undefined) return;
    if (this.fd === undefined) throw new AppError('unavailable', 'duckdb: the store is open read-only');
    try {
      fs.writeSync(this.fd, bytes, 0, SLOT_BYTES, slot * SLOT_BYTES);
      if (sync) this.sync();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('store', `duckdb: cannot write the salt file ${this.file}: ${messageOf(err)}`);
    }
  }

  private sync(): void {
    if (this.fd !== undefined) fs.fdatasyncSync(this.fd);
  }
}
