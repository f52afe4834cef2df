/**
 * Where the wizard is and what has been answered, as plain data: moving forward, going back (answers kept),
 * jumping to one question from the plan screen and returning there.
 */
import { ConfigSchema, validateConfig, type Config } from '../../core/config.js';
import { errorMessage } from '../../core/errors.js';
import { visibleSteps, type StepId, type WizardStep } from './steps.js';

export interface WizardState {
  draft: Config;
  at: StepId;
  answered: StepId[];
  /** Set when the plan screen sent the user here to change one answer. */
  returnToPlan: boolean;
}

/** What a brand-new session starts from; every other key takes the schema's default. */
const STARTER = { name: 'customer-support', task: 'customer support', domain: 'general', size: 200 };

export function initialDraft(initial: Partial<Config> = {}): Config {
  const parsed = ConfigSchema.safeParse({ ...STARTER, ...initial });
  return parsed.success ? parsed.data : ConfigSchema.parse(STARTER);
}

export function startWizard(initial: Partial<Config> = {}, at: StepId = 'task', returnToPlan = false): WizardState {
  const answered: StepId[] = [];
  if (initial.name !== undefined) answered.push('name');
  if (initial.provider !== undefined) answered.push('provider', 'model');
  return { draft: initialDraft(initial), at, answered, returnToPlan };
}

export function currentSteps(state: WizardState): WizardStep[] {
  return visibleSteps(state.draft);
}

/** `step k of n` for the header. */
export function stepNumber(state: WizardState): { k: number; n: number } {
  const steps = currentSteps(state);
  return { k: Math.max(0, steps.findIndex((s) => s.id === state.at)) + 1, n: steps.length };
}

export type AnswerOutcome =
  | { kind: 'next'; state: WizardState }
  | { kind: 'done'; state: WizardState; config: Config }
  | { kind: 'invalid'; state: WizardState; error: string };

/** Records an answer (the new draft) and moves on; at the end, or back to the plan, the config is validated. */
export function answer(state: WizardState, draft: Config): AnswerOutcome {
  const answered = state.answered.includes(state.at) ? state.answered : [...state.answered, state.at];
  const next: WizardState = { ...state, draft, answered };
  const steps = visibleSteps(draft);
  const index = steps.findIndex((s) => s.id === state.at);
  const following = steps[index + 1];
  let config: Config | null = null;
  let error = '';
  try {
    config = validateConfig(draft, 'config');
  } catch (err) {
    error = errorMessage(err).replace(/^config: /, '');
  }
  const finishing = !following || (state.returnToPlan && config !== null);
  if (finishing) {
    return config ? { kind: 'done', state: next, config } : { kind: 'invalid', state: next, error };
  }
  return { kind: 'next', state: { ...next, at: following.id } };
}

/** Esc: the previous question with its answer kept, or `null` when the user backs out of the first one. */
export function goBack(state: WizardState): WizardState | null {
  if (state.returnToPlan) return null;
  const steps = currentSteps(state);
  const index = steps.findIndex((s) => s.id === state.at);
  const previous = steps[index - 1];
  return previous ? { ...state, at: previous.id } : null;
}
