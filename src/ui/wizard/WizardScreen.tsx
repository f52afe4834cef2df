/** The requirements wizard: one question a screen, step k of n, Esc back with answers kept. */
import { Box, Text } from 'ink';
import { Screen } from '../components/Screen.js';
import { useAppState } from '../context.js';
import type { BindingId } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { ChoiceQuestion } from './ChoiceQuestion.js';
import { stepNumber } from './flow.js';
import { ProviderQuestion } from './ProviderQuestion.js';
import { stepById, type StepContext } from './steps.js';
import { TextQuestion } from './TextQuestion.js';
import { ToolsQuestion } from './ToolsQuestion.js';

const TEXT_KEYS: BindingId[] = ['accept', 'back'];
const LIST_KEYS: BindingId[] = ['move', 'choose', 'back'];

export function WizardScreen() {
  const wizard = useAppState((s) => s.wizard);
  const error = useAppState((s) => s.wizardError);
  const answerStep = useAppState((s) => s.answerStep);
  const backStep = useAppState((s) => s.backStep);
  if (!wizard) return null;
  const step = stepById(wizard.at);
  const { k, n } = stepNumber(wizard);
  const ctx: StepContext = { answered: new Set(wizard.answered) };
  const props = { draft: wizard.draft, ctx, onAnswer: answerStep, onBack: backStep };
  // Keyed by step so a question's own state (typed text, sub-mode) starts fresh on each screen.
  const key = `${step.id}:${wizard.returnToPlan ? 'edit' : 'new'}`;
  return (
    <Screen title={wizard.returnToPlan ? 'Edit the plan' : 'New dataset'} right={`step ${k} of ${n}`} keys={step.kind === 'text' ? TEXT_KEYS : LIST_KEYS}>
      <Text bold={theme.emphasis} wrap="wrap">
        {step.title}
      </Text>
      <Text color={theme.text.secondary} wrap="wrap">
        {step.help}
      </Text>
      <Box marginTop={1} flexDirection="column">
        {step.kind === 'text' ? <TextQuestion key={key} step={step} {...props} /> : null}
        {step.kind === 'choice' ? <ChoiceQuestion key={key} step={step} {...props} /> : null}
        {step.kind === 'provider' ? <ProviderQuestion key={key} step={step} {...props} /> : null}
        {step.kind === 'tools' ? <ToolsQuestion key={key} step={step} {...props} /> : null}
      </Box>
      {error ? (
        <Text color={theme.status.error} wrap="wrap">
          {`✗ ${sanitizeLine(error)}`}
        </Text>
      ) : null}
    </Screen>
  );
}
