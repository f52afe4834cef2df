/**
 * dedup.bin: the duplicate index's record of every accepted sample, so that a resume restores the index
 * instead of hashing every sample again (5 s for 100,000 samples). Append-only: a 12-byte header (the
 * magic "SLDX", the index's recordFormat and recordSize), then one entry per accepted sample: the FNV-1a
 * hash32 of its id, then its DuplicateIndex record. Each entry is one write(2), like a JSONL line.
 *
 * The file is derived data, so it heals itself: a torn last entry (a crash) is cut off, a header of another
 * format drops the whole file, and a sample without an entry (a session written before dedup.bin, or an
 * entry lost in a crash) is hashed once and gets its entry appended.
 */
import { fstatSync, ftruncateSync, readSync } from 'node:fs';
import { AppendOnlyFile, forEachLine } from './files.js';
import type { DuplicateIndex } from './minhash.js';
import { conversationText } from './quality.js';
import { hash32 } from './random.js';
import type { Sample } from './types.js';

/** "SLDX" read as a little-endian 32-bit word. */
const MAGIC = 0x58444c53;
export const DEDUP_HEADER_BYTES = 12;

/** The append-only dedup.bin of a session (held by SessionStore next to its JSONL appenders). */
export class DedupAppender extends AppendOnlyFile {
  /** Appends the entry of an accepted sample: hash32(id), then the index's record of its text. */
  append(id: string, record: Uint8Array): void {
    const entry = Buffer.allocUnsafe(4 + record.length);
    entry.writeUInt32LE(hash32(id), 0);
    entry.set(record, 4);
    this.appendEntry(entry);
  }

  /** The whole file as it is now. */
  read(): Buffer {
    const fd = this.descriptor();
    const data = Buffer.allocUnsafe(fstatSync(fd).size);
    for (let at = 0; at < data.length; ) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n === 0) return data.subarray(0, at);
      at += n;
    }
    return data;
  }

  /** Cuts the file to `bytes` (a torn last entry; 0 to start over). */
  truncate(bytes: number): void {
    ftruncateSync(this.descriptor(), bytes);
  }

  /** Starts the file over with the header of `index`'s records. */
  reset(index: DuplicateIndex): void {
    const header = Buffer.alloc(DEDUP_HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(index.recordFormat, 4);
    header.writeUInt32LE(index.recordSize, 8);
    this.truncate(0);
    this.appendEntry(header);
  }
}

export interface DedupRestore {
  /** Samples restored from their entry, without hashing. */
  restored: number;
  /** Samples hashed because they had no entry (each got one). */
  hashed: number;
  /** Bytes cut from dedup.bin: a torn last entry, or a whole file of another format. */
  droppedBytes: number;
}

/**
 * Entries of dedup.bin found by the hash of a sample id, each used once, the first in file order first
 * (two ids may share a hash). An open-addressing table of entry numbers in typed arrays: no object per entry.
 */
class EntryFinder {
  private readonly hashes: Uint32Array;
  private readonly slots: Int32Array;
  private readonly used: Uint8Array;

  constructor(
    private readonly data: Buffer,
    readonly count: number,
    private readonly recordSize: number,
  ) {
    this.hashes = new Uint32Array(count);
    this.used = new Uint8Array(count);
    let size = 1024;
    while (size < count * 2) size *= 2;
    this.slots = new Int32Array(size); // entry number + 1; 0 is free
    const mask = size - 1;
    for (let e = 0; e < count; e++) {
      const h = data.readUInt32LE(this.offsetOf(e));
      this.hashes[e] = h;
      let slot = h & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = e + 1;
    }
  }

  /** The record of the first unused entry with this id hash (marked used), or null. */
  take(idHash: number): Uint8Array | null {
    const mask = this.slots.length - 1;
    for (let slot = idHash & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const e = (this.slots[slot] as number) - 1;
      if (this.hashes[e] !== idHash || this.used[e] === 1) continue;
      this.used[e] = 1;
      const at = this.offsetOf(e) + 4;
      return this.data.subarray(at, at + this.recordSize);
    }
    return null;
  }

  private offsetOf(entry: number): number {
    return DEDUP_HEADER_BYTES + entry * (4 + this.recordSize);
  }
}

/** Reads dedup.bin for `index`: starts it over when its header is not `index`'s, cuts a torn last entry. */
function readEntries(file: DedupAppender, index: DuplicateIndex): { entries: EntryFinder; droppedBytes: number } {
  const data = file.read();
  const fits = data.length >= DEDUP_HEADER_BYTES && data.readUInt32LE(0) === MAGIC && data.readUInt32LE(4) === index.recordFormat && data.readUInt32LE(8) === index.recordSize;
  if (!fits) {
    file.reset(index);
    return { entries: new EntryFinder(data, 0, index.recordSize), droppedBytes: data.length };
  }
  const count = Math.floor((data.length - DEDUP_HEADER_BYTES) / (4 + index.recordSize));
  const whole = DEDUP_HEADER_BYTES + count * (4 + index.recordSize);
  if (whole < data.length) file.truncate(whole);
  return { entries: new EntryFinder(data, count, index.recordSize), droppedBytes: data.length - whole };
}

const ID_PREFIX = '{"id":"';

/** The id of a samples.jsonl line without parsing it (lines start with it); null when unsure. */
function idOf(line: string): string | null {
  if (!line.startsWith(ID_PREFIX)) return null;
  const end = line.indexOf('"', ID_PREFIX.length);
  if (end === -1) return null;
  const id = line.slice(ID_PREFIX.length, end);
  return id.includes('\\') ? null : id; // an escape: the quote found may not end the id
}

/**
 * Fills an empty `index` with the accepted samples of samples.jsonl (terminated lines, in file order),
 * leaving out the `removed` ids: from their dedup.bin entries where they have one, else by hashing the
 * text as the engine did (and appending the entry it lacked).
 */
export function restoreDuplicates(samplesPath: string, removed: ReadonlySet<string>, index: DuplicateIndex, file: DedupAppender): DedupRestore {
  const { entries, droppedBytes } = readEntries(file, index);
  const result: DedupRestore = { restored: 0, hashed: 0, droppedBytes };
  index.reserve(entries.count);
  forEachLine(samplesPath, ({ line, terminated }) => {
    if (!terminated) return;
    let sample: Sample | null = null;
    let id = idOf(line);
    if (id === null) {
      sample = JSON.parse(line) as Sample;
      id = sample.id;
    }
    const record = entries.take(hash32(id)); // a removed sample's entry is used up too: it belongs to no other
    if (removed.has(id)) return;
    if (record !== null) {
      try {
        index.addRecord(record);
        result.restored++;
        return;
      } catch {
        /* not a record of this index (damaged): hashed below */
      }
    }
    sample ??= JSON.parse(line) as Sample;
    index.add(conversationText(sample.messages.filter((m) => m.role !== 'system')));
    file.append(id, index.lastRecord());
    result.hashed++;
  });
  return result;
}
