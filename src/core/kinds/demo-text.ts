/**
 * Template text for the offline demo provider: clearly labelled, deterministic per seed. The kinds use it
 * to say what a demo example of each kind looks like (see DatasetKind.demoExample).
 */
import type { Random } from '../random.js';
import type { SlotSpec } from '../types.js';

const VERBS = ['check', 'open', 'confirm', 'compare', 'update', 'review', 'locate', 'export', 'note', 'verify', 'reset', 'select', 'record', 'attach', 'test', 'cancel', 'schedule', 'rename', 'copy', 'measure'];
export const NOUNS = ['receipt', 'settings page', 'order history', 'invoice', 'log file', 'dashboard', 'profile', 'shipping label', 'config file', 'report', 'ticket', 'checklist', 'account email', 'form', 'summary', 'statement', 'backup', 'policy page', 'template', 'record'];
const PLACES = ['in the app', 'on the website', 'in your inbox', 'under Settings', 'in the portal', 'on the receipt', 'in the help center', 'in the admin panel', 'on your phone', 'in the export'];
const OPENERS = ['Good question', 'Happy to help', 'Thanks for the details', 'Sure', 'Let us sort this out', 'Understood'];
const ASKS = ['how do I handle', 'what should I know about', 'can you walk me through', 'what is the best way to approach', 'why does this happen with', 'is there a quick fix for'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'the weekend', 'last week', 'yesterday'];

export const pick = <T>(rand: Random, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
export const num = (rand: Random): number => 1000 + Math.floor(rand() * 89999);

/** The topic a slot is about, in words. */
export function slotTopic(slot: SlotSpec): string {
  return slot.path[slot.path.length - 1] ?? slot.category;
}

export function demoUserTurn(rand: Random, slot: SlotSpec, turn: number): string {
  if (turn > 0) {
    return `(demo) Follow-up ${turn}: I tried to ${pick(rand, VERBS)} the ${pick(rand, NOUNS)} ${pick(rand, PLACES)} but reference ${num(rand)} still shows the old value since ${pick(rand, DAYS)}. What now?`;
  }
  return `(demo) As a ${slot.audience} user, ${pick(rand, ASKS)} ${slotTopic(slot).toLowerCase()}? My ${pick(rand, NOUNS)} number is ${num(rand)} and it changed ${pick(rand, DAYS)}.`;
}

export function demoAssistantTurn(rand: Random, slot: SlotSpec): string {
  const steps = [1, 2, 3].map((i) => {
    const verb = pick(rand, VERBS);
    return `${i}. ${verb[0]!.toUpperCase()}${verb.slice(1)} the ${pick(rand, NOUNS)} ${pick(rand, PLACES)} (reference ${num(rand)}).`;
  });
  return [
    `${pick(rand, OPENERS)}: here is how this usually works for ${slotTopic(slot).toLowerCase()}.`,
    ...steps,
    `If the ${pick(rand, NOUNS)} still looks wrong after ${1 + Math.floor(rand() * 9)} days, reply here and we will ${pick(rand, VERBS)} it together.`,
    '(Demo answer: offline template text, not model output.)',
  ].join('\n');
}

export function demoReasoning(rand: Random, slot: SlotSpec): string {
  return `(demo) The user is a ${slot.audience}; first ${pick(rand, VERBS)} the ${pick(rand, NOUNS)}, then check reference ${num(rand)} before answering.`;
}

/** A plain user/assistant conversation of the slot's turn count. */
export function demoTurns(rand: Random, slot: SlotSpec): { role: 'user' | 'assistant'; content: string }[] {
  const out: { role: 'user' | 'assistant'; content: string }[] = [];
  for (let turn = 0; turn < slot.turns; turn++) {
    out.push({ role: 'user', content: demoUserTurn(rand, slot, turn) });
    out.push({ role: 'assistant', content: demoAssistantTurn(rand, slot) });
  }
  return out;
}

type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * A demo derivation of a conversation (the demo's answer to an augment request): the same number of
 * turns, labelled with the method. `expand` and `format` keep the user turns; `rephrase` and `difficulty`
 * reword them. Assistant turns are fresh template steps, so a derived sample is not a near-duplicate of
 * its origin.
 */
export function demoDerivedTurns(rand: Random, method: 'rephrase' | 'expand' | 'difficulty' | 'format', turns: readonly Turn[]): Turn[] {
  const step = (i: number): string => {
    const verb = pick(rand, VERBS);
    return `${verb[0]!.toUpperCase()}${verb.slice(1)} the ${pick(rand, NOUNS)} ${pick(rand, PLACES)} (reference ${num(rand)})${i === 2 ? '' : ','}`;
  };
  return turns.map((t, i) => {
    if (t.role === 'user') {
      if (method === 'expand' || method === 'format') return { role: 'user', content: t.content };
      const how = method === 'rephrase' ? 'In other words' : i % 4 === 0 ? 'Harder case' : 'Simpler case';
      return { role: 'user', content: `(demo ${method}) ${how}: ${pick(rand, ASKS)} my ${pick(rand, NOUNS)} ${pick(rand, PLACES)}? Reference ${num(rand)}, since ${pick(rand, DAYS)}.` };
    }
    const steps = [0, 1, 2].map(step);
    const body =
      method === 'format'
        ? steps.map((s) => `- ${s.replace(/,$/, '')}`).join('\n')
        : `${pick(rand, OPENERS)}: ${steps.join(' then ')}.`;
    const extra = method === 'expand' ? `\nFor example, reference ${num(rand)} usually updates within ${1 + Math.floor(rand() * 9)} days; if it does not, ${pick(rand, VERBS)} the ${pick(rand, NOUNS)} again.` : '';
    return { role: 'assistant', content: `${body}${extra}\n(Demo ${method}: offline template text, not model output.)` };
  });
}
