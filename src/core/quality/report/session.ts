/** The quality report an export writes as dataset/quality.json: the session's accepted samples, paths relative to the session. */
import { reportOf } from './index.js';
import { openSource } from './source.js';
import type { QualityReport } from './types.js';

export function sessionQualityReport(sessionDir: string): QualityReport {
  const report = reportOf(openSource(sessionDir));
  // No absolute path (a home directory's name) in a file meant to be published with the dataset.
  return { ...report, source: { path: '.', kind: 'session', file: 'samples.jsonl' } };
}
