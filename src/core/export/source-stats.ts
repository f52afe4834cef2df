/** dataset_info.txt lines on grounding and augmentation: how many rows come from which documents, and how many are derived. */
import type { Sample } from '../types.js';
import { thousands } from './text.js';

export class SourceTally {
  private grounded = 0;
  private derived = 0;
  private readonly chunks = new Set<string>();
  private readonly files = new Map<string, number>();

  add(sample: Sample): void {
    if (sample.derived_from) this.derived++;
    const source = sample.source;
    if (!source) return;
    this.grounded++;
    this.chunks.add(source.chunk_id);
    // A JSONL document is FILE#ID: count the file.
    const file = source.file.replace(/#[^#/]*$/, '');
    this.files.set(file, (this.files.get(file) ?? 0) + 1);
  }

  /** Nothing for a session without sources or augmentation. */
  lines(): string[] {
    if (this.grounded === 0 && this.derived === 0) return [];
    const out = ['', 'sources'];
    if (this.grounded > 0) {
      out.push(`  grounded in documents: ${thousands(this.grounded)} rows from ${thousands(this.chunks.size)} chunks of ${this.files.size} files (each chunk's rows in one split)`);
      const top = [...this.files].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
      for (const [file, rows] of top) out.push(`    ${file}: ${thousands(rows)} rows`);
      if (this.files.size > top.length) out.push(`    and ${this.files.size - top.length} more files`);
    }
    if (this.derived > 0) out.push(`  derived by augmentation: ${thousands(this.derived)} rows (each in its origin's split)`);
    return out;
  }
}
