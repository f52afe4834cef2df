/** The current answer to a question as one short line (the plan screen's "edit an answer" list). */
import type { Config } from '../../core/config.js';
import type { WizardStep } from './steps.js';
import { toolNames } from './tools.js';

export function answerText(step: WizardStep, draft: Config): string {
  switch (step.kind) {
    case 'text':
      return step.value(draft, { answered: new Set([step.id]) }) || '(none)';
    case 'choice':
      return step.value(draft);
    case 'provider':
      return draft.provider.base_url ? `${draft.provider.name} ${draft.provider.base_url}` : draft.provider.name;
    case 'tools':
      return toolNames(draft.conversation.tools) || '(none)';
  }
}
