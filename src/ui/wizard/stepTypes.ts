/** The shapes of the wizard's questions (steps.ts holds the questions themselves). */
import type { Config } from '../../core/config.js';
import type { Parsed } from './parse.js';

export type StepId =
  | 'task'
  | 'domain'
  | 'categories'
  | 'category_weights'
  | 'size'
  | 'tone'
  | 'response_length'
  | 'special_formats'
  | 'audience'
  | 'complexity'
  | 'multi_turn'
  | 'max_turns'
  | 'edge_cases'
  | 'negatives'
  | 'dataset_type'
  | 'tools'
  | 'system_prompt'
  | 'splits'
  | 'format'
  | 'provider'
  | 'model'
  | 'budget'
  | 'name';

export interface StepContext {
  /** Questions the user (or the preset) has answered: their values are answers, not defaults. */
  answered: ReadonlySet<StepId>;
}

interface StepBase {
  id: StepId;
  /** Short name, for the plan screen's "edit an answer" list. */
  label: string;
  /** The question, short enough for a 60-column terminal. */
  title: string;
  /** One line on why it matters. */
  help: string;
  /** Shown only when this returns true (tools: agent datasets only). */
  when?: (draft: Config) => boolean;
}

export interface TextStep extends StepBase {
  kind: 'text';
  /** The current answer, or the default offered when the question has not been answered. */
  value: (draft: Config, ctx: StepContext) => string;
  /** An empty field means "no value" (system prompt) rather than "take the default". */
  emptyIsAnswer?: boolean;
  placeholder?: string;
  /** Extra lines under the field (the size guidance). */
  aside?: (draft: Config) => string[];
  apply: (draft: Config, raw: string) => Parsed<Config>;
}

export interface ChoiceOption {
  label: string;
  value: string;
}

export interface ChoiceStep extends StepBase {
  kind: 'choice';
  options: (draft: Config) => ChoiceOption[];
  value: (draft: Config) => string;
  apply: (draft: Config, value: string) => Config;
  /** An "other" entry that opens a text field for a free answer (tone). */
  other?: { label: string; placeholder: string; apply: (draft: Config, raw: string) => Parsed<Config> };
}

/** Questions with their own component: detection (provider) or presets plus pasted JSON (tools). */
export interface CustomStep extends StepBase {
  kind: 'provider' | 'tools';
}

export type WizardStep = TextStep | ChoiceStep | CustomStep;
