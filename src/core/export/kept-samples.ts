/**
 * What the export keeps of each sample it writes, between its passes over samples.jsonl: where the line
 * is, its id, slot and category, and its shingles for near-duplicate grouping. The sample itself is read
 * back when its row is written, so a large session is never in memory whole.
 */
import type { Sample } from '../types.js';
import type { ComparedTexts } from './near-duplicates.js';
import type { LineAt, SampleFile } from './session.js';
import { conversationText, normalizeText, ShingleStore } from './shingles.js';

export class KeptSamples {
  private readonly ids: string[] = [];
  private readonly slots: string[] = [];
  /** Category names once each, and each sample's index into them. */
  private readonly categoryNames = new Map<string, number>();
  private readonly categories: string[] = [];
  private readonly categoryOf: number[] = [];
  private readonly offsets: number[] = [];
  private readonly bytes: number[] = [];
  private readonly shingles = new ShingleStore();
  /** `source.chunk_id` of each sample (undefined without a source): one chunk's samples share a split. */
  private readonly chunkIds: (string | undefined)[] = [];
  /** `derived_from` of each sample: an augmented sample shares its origin's split. */
  private readonly origins: (string | undefined)[] = [];
  private derived = false;

  get size(): number {
    return this.ids.length;
  }

  add(sample: Sample, at: LineAt): void {
    this.ids.push(sample.id);
    this.slots.push(sample.slot);
    let category = this.categoryNames.get(sample.category);
    if (category === undefined) {
      category = this.categories.push(sample.category) - 1;
      this.categoryNames.set(sample.category, category);
    }
    this.categoryOf.push(category);
    this.offsets.push(at.offset);
    this.bytes.push(at.bytes);
    this.shingles.add(conversationText(sample));
    this.chunkIds.push(sample.source?.chunk_id);
    this.origins.push(sample.derived_from);
    if (sample.derived_from) this.derived = true;
  }

  /** What ties a sample to others in one split: `chunk:ID` of its source, `sample:ID` of its origin (itself if none). */
  splitKeys(i: number): string[] {
    const keys: string[] = [];
    const chunk = this.chunkIds[i];
    if (chunk !== undefined) keys.push(`chunk:${chunk}`);
    if (this.derived) keys.push(`sample:${this.origins[i] ?? this.ids[i]}`);
    return keys;
  }

  /** The export's order, by slot then id, so it does not depend on the order lines were appended. */
  exportOrder(): ExportOrder {
    const order = Array.from({ length: this.size }, (_, i) => i);
    const { ids, slots } = this;
    order.sort((a, b) => compare(slots[a] as string, slots[b] as string) || compare(ids[a] as string, ids[b] as string));
    return new ExportOrder(this, order);
  }

  /** Sample i read back from the file. */
  read(file: SampleFile, i: number): Sample {
    return file.read({ offset: this.offsets[i] as number, bytes: this.bytes[i] as number }, this.ids[i] as string);
  }

  category(i: number): string {
    return this.categories[this.categoryOf[i] as number] as string;
  }

  shinglesOf(i: number): Uint32Array {
    return this.shingles.shingles(i);
  }

  textHash(i: number): number {
    return this.shingles.textHash(i);
  }
}

/** The kept samples in the export's order: position p is kept sample `order[p]`. */
export class ExportOrder {
  constructor(
    private readonly kept: KeptSamples,
    private readonly order: readonly number[],
  ) {}

  get size(): number {
    return this.order.length;
  }

  categories(): string[] {
    return this.order.map((i) => this.kept.category(i));
  }

  splitKeys(position: number): string[] {
    return this.kept.splitKeys(this.order[position] as number);
  }

  read(file: SampleFile, position: number): Sample {
    return this.kept.read(file, this.order[position] as number);
  }

  /** The texts near-duplicate grouping compares, in this order; a text is read back only to settle a hash match. */
  texts(file: SampleFile): ComparedTexts {
    const kept = this.kept;
    const order = this.order;
    return {
      count: order.length,
      shingles: (p) => kept.shinglesOf(order[p] as number),
      textHash: (p) => kept.textHash(order[p] as number),
      normalizedText: (p) => normalizeText(conversationText(this.read(file, p))),
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
