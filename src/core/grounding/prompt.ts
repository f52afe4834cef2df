/**
 * The prompt parts of a grounded request and the training row it becomes.
 *
 * Request order, static first: `system` (the instructions: the same for every grounded request of a
 * run), then `cachePrefix` (few-shot examples and the passage: the same for every question of one chunk),
 * then `user` (this question's strategy and number). A provider puts `cachePrefix` at the start of the
 * first user turn and marks the end of it for prompt caching (Anthropic cache_control; OpenAI caches
 * equal prefixes by itself).
 *
 * Row layout (`grounding.context`): `none` (question and answer only), `system` (the passage in the system
 * message), `user` (LlamaFarm's "Context: ...\n\nQuestion: ..." in the user turn; Alpaca puts that in
 * `input`).
 */
import type { Config, GroundingContext } from '../config.js';
import type { Message, Sample } from '../types.js';
import type { Chunk } from '../sources/chunk.js';
import type { GroundedSlot } from './slots.js';
import { STRATEGY_INSTRUCTIONS } from './strategies.js';

export interface GroundedPrompt {
  system: string;
  cachePrefix: string;
  user: string;
}

/** What the generator returns for a grounded slot. */
export interface GroundedAnswer {
  question: string;
  answer: string;
  /** Verbatim quotes from the passage(s) that support the answer; empty for unanswerable. */
  evidence: string[];
}

export const GROUNDED_SCHEMA_NAME = 'grounded_qa';

/** Strict-mode JSON schema of GroundedAnswer (OpenAI strict and Anthropic output_config both accept it). */
export const groundedAnswerSchema: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['question', 'answer', 'evidence'],
  properties: {
    question: { type: 'string', description: 'The question a user would ask.' },
    answer: { type: 'string', description: 'The answer, supported by the passage.' },
    evidence: { type: 'array', items: { type: 'string' }, description: 'Verbatim quotes from the passage supporting the answer.' },
  },
};

const LENGTH_WORDS: Record<Config['response_length'], string> = {
  short: 'one to three sentences',
  medium: 'a short paragraph',
  long: 'several paragraphs where the passage has that much to say',
};

/** The instructions: built from the config alone, so every grounded request of a run shares them. */
export function groundedSystemPrompt(config: Config): string {
  const lines = [
    `You write question-answer training examples for a model that will do this task: ${config.task}.`,
    `Domain: ${config.domain}. Tone of the answers: ${config.tone}. Answer length: ${LENGTH_WORDS[config.response_length]}.`,
    'Every question and answer is grounded in the document passage you are given: the answer uses only what the passage says.',
    'Quote names, numbers, dates and terms exactly as the passage writes them. Do not add facts from elsewhere.',
    'Write the question as a real user would ask it, without mentioning "the passage" or "the text" unless the user would.',
    'In `evidence`, copy the sentences of the passage that support the answer word for word.',
  ];
  if (config.instructions.trim()) lines.push(`Further guidance: ${config.instructions.trim()}`);
  return lines.join('\n');
}

/** Few-shot examples, rendered once per chunk (they rotate by chunk, not by question). */
export function renderExamples(examples: ReadonlyArray<{ messages: Message[] }>): string {
  if (examples.length === 0) return '';
  const blocks = examples.map((e, i) => {
    const turns = e.messages.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content}`);
    return `Example ${i + 1}:\n${turns.join('\n')}`;
  });
  return `Examples of the style wanted (follow their style, not their content):\n\n${blocks.join('\n\n')}\n\n`;
}

function passage(label: string, chunk: Chunk): string {
  const where = chunk.headings.length > 0 ? ` (section: ${chunk.headings.join(' > ')})` : '';
  return `<passage ${label}document="${chunk.file}"${where}>\n${chunk.text}\n</passage>`;
}

export function groundedPrompt(input: {
  config: Config;
  slot: GroundedSlot;
  chunk: Chunk;
  paired?: Chunk;
  examples?: ReadonlyArray<{ messages: Message[] }>;
}): GroundedPrompt {
  const { config, slot, chunk, paired } = input;
  const passages = paired ? `${passage('id="A" ', chunk)}\n\n${passage('id="B" ', paired)}` : passage('', chunk);
  const cachePrefix = `${renderExamples(input.examples ?? [])}${paired ? 'Passages' : 'Passage'}:\n${passages}\n`;
  const user = [
    `Write question ${slot.question + 1} of ${config.grounding.questions_per_chunk} about ${paired ? 'these passages' : 'this passage'}.`,
    `Strategy: ${slot.strategy}. ${STRATEGY_INSTRUCTIONS[slot.strategy]}`,
    slot.question > 0 ? 'Make it different from the questions an earlier request about this passage would most likely ask.' : '',
    'Answer in JSON with question, answer and evidence.',
  ]
    .filter(Boolean)
    .join('\n');
  return { system: groundedSystemPrompt(config), cachePrefix, user };
}

/** The messages of the training row, laid out per `context`. */
export function groundedMessages(
  qa: Pick<GroundedAnswer, 'question' | 'answer'>,
  chunks: readonly Chunk[],
  context: GroundingContext,
  systemPrompt?: string | null,
): Message[] {
  const text = chunks.map((c) => c.text).join('\n\n');
  const messages: Message[] = [];
  if (context === 'system') {
    messages.push({ role: 'system', content: `${systemPrompt ? `${systemPrompt}\n\n` : ''}Context:\n${text}` });
  } else if (systemPrompt) {
    messages.push({ role: 'system', content: systemPrompt });
  }
  messages.push({ role: 'user', content: context === 'user' ? `Context: ${text}\n\nQuestion: ${qa.question}` : qa.question });
  messages.push({ role: 'assistant', content: qa.answer });
  return messages;
}

/** `source` of a sample made from this chunk (the first chunk of a multi_hop pair). */
export function sourceOf(chunk: Chunk): NonNullable<Sample['source']> {
  return { file: chunk.file, chunk_id: chunk.id, char_start: chunk.char_start, char_end: chunk.char_end };
}

/** The text duplicates of grounded samples are compared on: question and answer, not the shared passage. */
export function groundedDedupText(qa: Pick<GroundedAnswer, 'question' | 'answer'>): string {
  return `${qa.question}\n${qa.answer}`;
}

export const GROUNDED_ALPACA_INSTRUCTION = 'Answer the question using only the context.';
const CONTEXT_LAYOUT = /^Context: [\s\S]*\n\nQuestion: [\s\S]*$/;

/** Alpaca fields of a grounded first user turn in the `user` layout: the whole "Context: ... Question: ..." is `input`. */
export function groundedAlpacaFields(userContent: string): { instruction: string; input: string } | null {
  return CONTEXT_LAYOUT.test(userContent) ? { instruction: GROUNDED_ALPACA_INSTRUCTION, input: userContent } : null;
}
