/** The quality report of a dataset (`synthloom quality`, and dataset/quality.json at export). */
import type { PiiKind } from '../pii.js';
import type { RowShape } from './rows.js';
import type { Bin, Distribution } from './stats.js';

export interface ThresholdCheck {
  name: 'duplicate_ratio' | 'unique_instruction_ratio' | 'pii_ratio' | 'length_outlier_ratio' | 'min_quality_score';
  /** `<=` or `>=` the limit passes. */
  op: '<=' | '>=';
  limit: number;
  value: number | null;
  /** null when there is nothing to measure (no judge scores). */
  pass: boolean | null;
}

export interface ShareRow {
  name: string;
  actual: number;
  actual_share: number;
  planned: number | null;
  planned_share: number | null;
}

export interface QualityReport {
  version: 1;
  source: { path: string; kind: 'file' | 'session'; file: string };
  rows: number;
  /** Lines that are not JSON or hold no row of a known shape (1-based line numbers). */
  unreadable_lines: number[];
  shapes: Partial<Record<RowShape, number>>;
  duplicates: {
    /** A row whose normalized conversation equals an earlier row's: `line` repeats `of`. */
    exact: { line: number; of: number }[];
    /** A row whose word 3-shingle Jaccard similarity to an earlier row (its group's first) is >= 0.8. */
    near: { line: number; of: number; similarity: number }[];
    ratio: number;
  };
  unique_instruction_ratio: number;
  vocabulary: number;
  distinct_1: number;
  distinct_2: number;
  length: Distribution & {
    unit: 'assistant tokens per row (o200k)';
    fences: { low: number; high: number };
    histogram: Bin[];
    outliers: { line: number; tokens: number }[];
    outlier_ratio: number;
  };
  pii: { rows: { line: number; kinds: Partial<Record<PiiKind, number>> }[]; hits: Partial<Record<PiiKind, number>>; ratio: number };
  categories: ShareRow[];
  turns: ShareRow[];
  scores: { scored: number; mean: number; min: number; histogram: { score: number; count: number }[]; below_min: number[] } | null;
  thresholds: ThresholdCheck[];
  /** Line numbers `--fix` leaves out: every duplicate after its group's first, PII rows, length outliers,
   * rows under the minimum quality score and unreadable lines. */
  rejected_lines: number[];
}

/** LlamaFarm's quality-control thresholds. */
export const THRESHOLDS = {
  duplicate_ratio: 0.05,
  unique_instruction_ratio: 0.8,
  pii_ratio: 0,
  length_outlier_ratio: 0.1,
  min_quality_score: 0.7,
} as const;
