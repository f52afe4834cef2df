/**
 * The `quality:` config section (SPEC 11). The criterion-name check needs the dataset type, so it runs on
 * the whole config (checkQualityConfig), called from validateConfig after the schema.
 */
import { z } from 'zod';
import { criteriaProblem } from './rubric.js';
import { languageProblem } from './language.js';

const CriterionSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'criterion names are lowercase letters, digits and _ (at most 40)'),
  weight: z.number().positive('must be greater than 0').default(1),
  description: z.string().trim().min(1, 'must not be empty').optional(),
});

const JudgeProviderSchema = z.strictObject({
  name: z.enum(['openai', 'anthropic', 'openai-compatible', 'demo']),
  model: z.string().trim().min(1, 'must not be empty'),
  base_url: z.string().url('must be a URL such as http://localhost:11434/v1').nullable().optional(),
});

export const QualitySchema = z.strictObject({
  judge: z
    .strictObject({
      enabled: z.boolean().default(false),
      threshold: z.number().min(1, 'must be between 1 and 5').max(5, 'must be between 1 and 5').default(3.5),
      criteria: z.array(CriterionSchema).default([]),
      provider: JudgeProviderSchema.nullable().default(null),
    })
    .prefault({}),
  pii: z.enum(['off', 'redact', 'reject']).default('off'),
  language: z.string().trim().nullable().default(null),
  diversity_feedback: z.boolean().default(true),
});

export type QualityConfig = z.output<typeof QualitySchema>;

/** The first cross-field problem of the quality section as `path: message`, or null. */
export function checkQualityConfig(config: { conversation: { type: 'basic' | 'reasoning' | 'agent' }; quality: QualityConfig }): string | null {
  const criteria = criteriaProblem(config.conversation.type, config.quality.judge.criteria);
  if (criteria) return `quality.judge.criteria.${criteria.at}.name: ${criteria.message}`;
  const language = config.quality.language === null ? null : languageProblem(config.quality.language);
  if (language) return `quality.language: ${language}`;
  return null;
}
