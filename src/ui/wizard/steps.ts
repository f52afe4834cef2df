/**
 * The wizard's questions (SPEC 9) as data, in the order an experienced dataset engineer would ask them. Each
 * reads its default from the draft config and writes the answer back; `WizardScreen` only draws them.
 */
import { EXPORT_FORMATS, type Config } from '../../core/config.js';
import { formatUsd } from '../../core/prices.js';
import { categoriesStep, categoryWeightsStep, maxTurnsStep, specialFormatsStep } from './moreSteps.js';
import { PREVIEW_ADVICE, SIZE_GUIDANCE, guidanceFor } from './sizeGuidance.js';
import type { ChoiceOption, StepId, TextStep, WizardStep } from './stepTypes.js';
import {
  parseList,
  parseRequired,
  parseSessionName,
  parseShare,
  parseSize,
  parseSplits,
  parseUsd,
  slugify,
  type Parsed,
} from './parse.js';

export type { ChoiceOption, ChoiceStep, CustomStep, StepContext, StepId, TextStep, WizardStep } from './stepTypes.js';


const set = (draft: Config, patch: Partial<Config>): Parsed<Config> => ({ ok: true, value: { ...draft, ...patch } });
const then = <T>(parsed: Parsed<T>, use: (value: T) => Parsed<Config>): Parsed<Config> =>
  parsed.ok ? use(parsed.value) : parsed;
const yesNo: ChoiceOption[] = [
  { label: 'yes', value: 'yes' },
  { label: 'no', value: 'no' },
];
const TONES = ['professional', 'friendly', 'concise', 'technical'];

export const STEPS: readonly WizardStep[] = [
  {
    id: 'task',
    label: 'Task',
    kind: 'text',
    title: 'What should the fine-tuned model do?',
    help: 'The task, in a few words: customer support, code review, SQL tutor, ...',
    value: (d) => d.task,
    apply: (d, raw) => then(parseRequired(raw, 'the task'), (task) => set(d, { task })),
  },
  {
    id: 'domain',
    label: 'Domain',
    kind: 'text',
    title: 'Which domain or subject?',
    help: 'Narrows the topics: e.g. "e-commerce returns and refunds".',
    value: (d) => d.domain,
    apply: (d, raw) => then(parseRequired(raw, 'the domain'), (domain) => set(d, { domain })),
  },
  categoriesStep,
  categoryWeightsStep,
  {
    id: 'size',
    label: 'Size',
    kind: 'text',
    title: 'How many examples?',
    help: 'Counted after duplicates and failed answers are dropped.',
    value: (d) => String(d.size),
    aside: (d) => {
      const fit = guidanceFor(d.task, d.conversation.type);
      return [
        ...SIZE_GUIDANCE.map((row) => `${row === fit ? '>' : ' '} ${row.label}: ${row.range}`),
        `Tip: ${PREVIEW_ADVICE}.`,
      ];
    },
    apply: (d, raw) => then(parseSize(raw), (size) => set(d, { size })),
  },
  {
    id: 'tone',
    label: 'Tone',
    kind: 'choice',
    title: 'What tone should the answers have?',
    help: 'The voice of the assistant turns.',
    options: (d) => [
      ...(TONES.includes(d.tone) ? [] : [{ label: d.tone, value: d.tone }]),
      ...TONES.map((t) => ({ label: t, value: t })),
    ],
    value: (d) => d.tone,
    apply: (d, tone) => ({ ...d, tone }),
    other: {
      label: 'other (type it)',
      placeholder: 'e.g. warm but brief',
      apply: (d, raw) => then(parseRequired(raw, 'the tone'), (tone) => set(d, { tone })),
    },
  },
  {
    id: 'response_length',
    label: 'Response length',
    kind: 'choice',
    title: 'How long should answers be?',
    help: 'Short: a few sentences. Medium: a paragraph or two. Long: detailed.',
    options: () => ['short', 'medium', 'long'].map((v) => ({ label: v, value: v })),
    value: (d) => d.response_length,
    apply: (d, v) => ({ ...d, response_length: v as Config['response_length'] }),
  },
  specialFormatsStep,
  {
    id: 'audience',
    label: 'Audience',
    kind: 'text',
    title: 'Who asks the questions?',
    help: 'Expertise levels to spread over, separated by commas.',
    value: (d) => d.audience.join(', '),
    apply: (d, raw) => then(parseList(raw, 'audience'), (audience) => set(d, { audience })),
  },
  {
    id: 'complexity',
    label: 'Complexity',
    kind: 'choice',
    title: 'How hard should the requests be?',
    help: 'Mixed spreads simple, moderate and complex requests.',
    options: () => ['simple', 'mixed', 'complex'].map((v) => ({ label: v, value: v })),
    value: (d) => d.complexity,
    apply: (d, v) => ({ ...d, complexity: v as Config['complexity'] }),
  },
  {
    id: 'multi_turn',
    label: 'Multi-turn share',
    kind: 'text',
    title: 'What share of conversations are multi-turn?',
    help: '0% = single question and answer; the rest get several user turns (how many: next question).',
    value: (d) => `${Math.round(d.conversation.multi_turn * 100)}%`,
    apply: (d, raw) =>
      then(parseShare(raw), (multi_turn) => set(d, { conversation: { ...d.conversation, multi_turn } })),
  },
  maxTurnsStep,
  {
    id: 'edge_cases',
    label: 'Edge cases',
    kind: 'choice',
    title: 'Include edge cases?',
    help: 'Ambiguous, out-of-scope and error scenarios make a model robust.',
    options: () => yesNo,
    value: (d) => (d.edge_cases ? 'yes' : 'no'),
    apply: (d, v) => ({ ...d, edge_cases: v === 'yes' }),
  },
  {
    id: 'negatives',
    label: 'Negatives',
    kind: 'choice',
    title: 'Include negative examples?',
    help: 'The assistant refusing or correcting bad requests.',
    options: () => yesNo,
    value: (d) => (d.negatives ? 'yes' : 'no'),
    apply: (d, v) => ({ ...d, negatives: v === 'yes' }),
  },
  {
    id: 'dataset_type',
    label: 'Dataset type',
    kind: 'choice',
    title: 'What kind of conversations?',
    help: 'Reasoning keeps the reasoning in its own field; agent adds tool calls.',
    options: () => [
      { label: 'basic: chat, single or multi-turn', value: 'basic' },
      { label: 'reasoning: with step-by-step reasoning', value: 'reasoning' },
      { label: 'agent: tool calls, tool results, answer', value: 'agent' },
    ],
    value: (d) => d.conversation.type,
    apply: (d, v) => {
      const type = v as Config['conversation']['type'];
      return { ...d, conversation: { ...d.conversation, type, tools: type === 'agent' ? d.conversation.tools : [] } };
    },
  },
  {
    id: 'tools',
    label: 'Tools',
    kind: 'tools',
    title: 'Which tools can the agent call?',
    help: 'OpenAI-style function definitions: pick a set or paste your own JSON.',
    when: (d) => d.conversation.type === 'agent',
  },
  {
    id: 'system_prompt',
    label: 'System prompt',
    kind: 'text',
    title: 'System prompt written into each example?',
    help: 'Leave empty for none. Use the prompt your deployed model will get.',
    value: (d) => d.system_prompt ?? '',
    emptyIsAnswer: true,
    placeholder: '(none)',
    apply: (d, raw) => set(d, { system_prompt: raw.trim() === '' ? null : raw.trim() }),
  },
  {
    id: 'splits',
    label: 'Splits',
    kind: 'text',
    title: 'Train / validation / test split?',
    help: 'Percentages; splits are stratified by category and seeded.',
    value: (d) => [d.splits.train, d.splits.validation, d.splits.test].map((s) => Math.round(s * 100)).join('/'),
    apply: (d, raw) => then(parseSplits(raw), (splits) => set(d, { splits })),
  },
  {
    id: 'format',
    label: 'Export format',
    kind: 'choice',
    title: 'Export format?',
    help: 'What your trainer reads. You can export again later in another format.',
    options: () => [
      { label: 'openai: {messages} (OpenAI fine-tuning, Axolotl chat_template)', value: 'openai' },
      { label: 'trl: {messages} for TRL SFTTrainer', value: 'trl' },
      { label: 'sharegpt: {conversations} (LLaMA-Factory)', value: 'sharegpt' },
      { label: 'alpaca: {instruction, input, output}', value: 'alpaca' },
    ].filter((o) => (EXPORT_FORMATS as readonly string[]).includes(o.value)),
    value: (d) => d.format,
    apply: (d, v) => ({ ...d, format: v as Config['format'] }),
  },
  {
    id: 'provider',
    label: 'Provider',
    kind: 'provider',
    title: 'Which provider generates the examples?',
    help: 'Keys are read from the environment and never written to a file.',
  },
  {
    id: 'model',
    label: 'Model',
    kind: 'text',
    title: 'Which model?',
    help: 'A stronger model gives better data; the plan shows the price first.',
    value: (d) => d.provider.model,
    apply: (d, raw) => then(parseRequired(raw, 'the model'), (model) => set(d, { provider: { ...d.provider, model } })),
  },
  {
    id: 'budget',
    label: 'Budget',
    kind: 'text',
    title: 'Budget cap in USD?',
    help: 'The run pauses before it would spend more than this.',
    value: (d) => formatUsd(d.budget_usd),
    apply: (d, raw) => then(parseUsd(raw), (budget_usd) => set(d, { budget_usd })),
  },
  {
    id: 'name',
    label: 'Session name',
    kind: 'text',
    title: 'Session name?',
    help: 'The folder under ./datasets that holds the samples and exports.',
    value: (d, ctx) => (ctx.answered.has('name') ? d.name : slugify(d.task)),
    apply: (d, raw) => then(parseSessionName(raw), (name) => set(d, { name })),
  },
];

export function visibleSteps(draft: Config): WizardStep[] {
  return STEPS.filter((step) => !step.when || step.when(draft));
}

export function stepById(id: StepId): WizardStep {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`unknown wizard step ${id}`);
  return step;
}
