/** What a user can do about each kind of failure, shown beside the group in the failure panel. */
import type { FailureKind } from '../../core/types.js';

export const FAILURE_HINTS: Record<FailureKind, string> = {
  rate_limit: 'lower provider.concurrency or set provider.rpm / provider.tpm to what the account allows',
  timeout: 'raise provider.timeout_s or lower provider.concurrency',
  network: 'check the connection and provider.base_url',
  server: "the provider's servers failed; retry later",
  auth: 'check OPENAI_API_KEY / ANTHROPIC_API_KEY (and the base URL they belong to)',
  quota: "the account's quota or credit is used up; add credit, then retry",
  truncated: 'the answer hit the output token limit: raise provider.max_output_tokens or choose a shorter response_length',
  refusal: 'the model refused: reword the task, instructions or system_prompt',
  parse: 'the answer was not valid JSON: a model with structured output support helps',
  schema: "the answer did not match the sample schema: check the model's structured output support",
  duplicate: 'near-duplicates of accepted samples: add categories, raise topics.depth/degree, or add instructions',
  filtered: 'a quality gate rejected it (length, empty turns, placeholders): check response_length and instructions',
};
