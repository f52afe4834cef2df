/**
 * SPEC 9.1: how many examples a task usually needs. The wizard shows the whole table and marks the row that
 * fits the task the user described.
 */
import type { DatasetType } from '../../core/types.js';

export type TaskClass = 'simple' | 'medium' | 'complex' | 'domain';

export interface GuidanceRow {
  taskClass: TaskClass;
  label: string;
  range: string;
  /** A sensible default size in that range. */
  suggested: number;
}

export const SIZE_GUIDANCE: readonly GuidanceRow[] = [
  { taskClass: 'simple', label: 'simple tasks', range: '100-500', suggested: 200 },
  { taskClass: 'medium', label: 'medium tasks', range: '500-2,000', suggested: 1000 },
  { taskClass: 'complex', label: 'complex tasks', range: '2,000-10,000+', suggested: 3000 },
  { taskClass: 'domain', label: 'domain adaptation', range: '1,000-5,000', suggested: 2000 },
];

export const PREVIEW_ADVICE = 'start with a 10-20 example preview run and review it before scaling';

const SIMPLE = /\b(classif\w*|extract\w*|label\w*|sentiment|intent|tagg?\w*|translat\w*|summar\w*|rewrit\w*|format\w*)\b/i;
const DOMAIN = /\b(domain|adapt\w*|terminolog\w*|jargon|knowledge)\b/i;
const COMPLEX = /\b(code|coding|program\w*|reason\w*|math\w*|agent\w*|tool\w*|tutor\w*|legal|medical|analys\w*|plann\w*|debug\w*)\b/i;

export function classifyTask(task: string, type?: DatasetType): TaskClass {
  if (DOMAIN.test(task)) return 'domain';
  if (type === 'agent' || type === 'reasoning' || COMPLEX.test(task)) return 'complex';
  if (SIMPLE.test(task)) return 'simple';
  return 'medium';
}

export function guidanceFor(task: string, type?: DatasetType): GuidanceRow {
  const taskClass = classifyTask(task, type);
  return SIZE_GUIDANCE.find((row) => row.taskClass === taskClass) ?? SIZE_GUIDANCE[1]!;
}
