/**
 * The offline `demo` provider: clearly labelled template examples, made from the request's own prompt, for
 * trying synthloom without an API key. Deterministic per request text; never picked unless asked for.
 */
import { hash32, mulberry32 } from '../core/random.js';
import { sleep } from '../core/backoff.js';
import type { GenerateRequest, GenerateResult, Provider } from './types.js';

const CATEGORY_POOL = [
  'Getting started', 'Account and access', 'Billing and payments', 'Troubleshooting', 'Policies and rules',
  'Advanced usage', 'Integrations', 'Security and privacy', 'Performance', 'Best practices', 'Edge cases',
  'Migration and upgrades', 'Reporting', 'Limits and quotas', 'Customization', 'Collaboration',
];
const ASPECT_POOL = [
  'common mistakes', 'step-by-step setup', 'exceptions', 'comparisons', 'costs and limits', 'first steps',
  'error messages', 'deadlines', 'special cases', 'checklists', 'recovery', 'verification', 'examples',
  'terminology', 'escalation', 'automation', 'documentation', 'timing', 'prerequisites', 'follow-ups',
];
const VERBS = ['check', 'open', 'confirm', 'compare', 'update', 'review', 'locate', 'export', 'note', 'verify', 'reset', 'select', 'record', 'attach', 'test', 'cancel', 'schedule', 'rename', 'copy', 'measure'];
const NOUNS = ['receipt', 'settings page', 'order history', 'invoice', 'log file', 'dashboard', 'profile', 'shipping label', 'config file', 'report', 'ticket', 'checklist', 'account email', 'form', 'summary', 'statement', 'backup', 'policy page', 'template', 'record'];
const PLACES = ['in the app', 'on the website', 'in your inbox', 'under Settings', 'in the portal', 'on the receipt', 'in the help center', 'in the admin panel', 'on your phone', 'in the export'];
const OPENERS = ['Good question', 'Happy to help', 'Thanks for the details', 'Sure', 'Let us sort this out', 'Understood'];
const ASKS = ['how do I handle', 'what should I know about', 'can you walk me through', 'what is the best way to approach', 'why does this happen with', 'is there a quick fix for'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'the weekend', 'last week', 'yesterday'];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const num = (rand: Rand): number => 1000 + Math.floor(rand() * 89999);

function match(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

interface ExampleAsk {
  turns: number;
  audience: string;
}

function userTurn(rand: Rand, topic: string, ask: ExampleAsk, turn: number): string {
  if (turn > 0) {
    return `(demo) Follow-up ${turn}: I tried to ${pick(rand, VERBS)} the ${pick(rand, NOUNS)} ${pick(rand, PLACES)} but reference ${num(rand)} still shows the old value since ${pick(rand, DAYS)}. What now?`;
  }
  return `(demo) As a ${ask.audience} user, ${pick(rand, ASKS)} ${topic.toLowerCase()}? My ${pick(rand, NOUNS)} number is ${num(rand)} and it changed ${pick(rand, DAYS)}.`;
}

function assistantTurn(rand: Rand, topic: string): string {
  const steps = [1, 2, 3].map((i) => {
    const verb = pick(rand, VERBS);
    return `${i}. ${verb[0]!.toUpperCase()}${verb.slice(1)} the ${pick(rand, NOUNS)} ${pick(rand, PLACES)} (reference ${num(rand)}).`;
  });
  return [
    `${pick(rand, OPENERS)}: here is how this usually works for ${topic.toLowerCase()}.`,
    ...steps,
    `If the ${pick(rand, NOUNS)} still looks wrong after ${1 + Math.floor(rand() * 9)} days, reply here and we will ${pick(rand, VERBS)} it together.`,
    '(Demo answer: offline template text, not model output.)',
  ].join('\n');
}

/** The tool names the request's schema allows (agent datasets), if any. */
function toolNames(schema: Record<string, unknown>): string[] {
  const s = JSON.stringify(schema);
  const m = /"tool_calls":\{"type":"array","items":\{"type":"object","properties":\{"id":\{"type":"string"\},"name":\{"type":"string","enum":(\[[^\]]*\])/.exec(s);
  return m ? (JSON.parse(m[1]!) as string[]) : [];
}

function toolArguments(prompt: string, name: string, rand: Rand): string {
  const tools = match(prompt, /Tools available to the assistant \(OpenAI function format\): (\[.*\])$/m);
  const args: Record<string, unknown> = {};
  try {
    const list = JSON.parse(tools ?? '[]') as { function: { name: string; parameters?: { properties?: Record<string, { type?: string }> } } }[];
    const props = list.find((t) => t.function.name === name)?.function.parameters?.properties ?? {};
    for (const [key, def] of Object.entries(props)) args[key] = def.type === 'number' || def.type === 'integer' ? num(rand) : `${pick(rand, NOUNS)} ${num(rand)}`;
  } catch {
    args.query = `${pick(rand, NOUNS)} ${num(rand)}`;
  }
  return JSON.stringify(args);
}

function example(prompt: string, schema: Record<string, unknown>, ask: ExampleAsk, rand: Rand, topic: string): Record<string, unknown> {
  const tools = toolNames(schema);
  const agent = tools.length > 0;
  const messages: Record<string, unknown>[] = [];
  const plain = (role: string, content: string) => (agent ? { role, content, tool_calls: [], tool_call_id: '' } : { role, content });
  for (let turn = 0; turn < ask.turns; turn++) {
    messages.push(plain('user', userTurn(rand, topic, ask, turn)));
    if (agent && turn === 0) {
      const name = pick(rand, tools);
      const id = `call_${num(rand)}`;
      messages.push({ role: 'assistant', content: '', tool_calls: [{ id, name, arguments: toolArguments(prompt, name, rand) }], tool_call_id: '' });
      messages.push({ role: 'tool', content: JSON.stringify({ status: 'ok', id: num(rand), note: `demo result for ${name}` }), tool_calls: [], tool_call_id: id });
    }
    messages.push(plain('assistant', assistantTurn(rand, topic)));
  }
  const out: Record<string, unknown> = { messages };
  if (JSON.stringify(schema).includes('"reasoning"')) {
    out.reasoning = `(demo) The user is a ${ask.audience}; first ${pick(rand, VERBS)} the ${pick(rand, NOUNS)}, then check reference ${num(rand)} before answering.`;
    return { reasoning: out.reasoning, messages };
  }
  return out;
}

export class DemoProvider implements Provider {
  readonly name = 'demo';
  readonly demo = true;
  private calls = 0;

  constructor(
    readonly model: string = 'demo-template-1',
    private readonly latencyMs: number = Number(process.env.SYNTHLOOM_DEMO_LATENCY_MS ?? 250),
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const prompt = request.messages.map((m) => m.content).join('\n');
    const rand = mulberry32(hash32(prompt) ^ (this.calls++ * 0x9e3779b1));
    if (this.latencyMs > 0) await sleep(this.latencyMs * (0.5 + rand()), request.signal);
    let json: unknown;
    if (request.schemaName === 'topic_list') {
      const count = Number(match(prompt, /Return exactly (\d+) subtopics/) ?? 4);
      const parent = match(prompt, /subtopics of "([^"]*)"/) ?? 'the domain';
      const isRoot = !/Topic path: .+ > /.test(prompt);
      const start = hash32(parent);
      const pool = isRoot ? CATEGORY_POOL : ASPECT_POOL.map((a) => `${a[0]!.toUpperCase()}${a.slice(1)}`);
      json = { topics: Array.from({ length: count }, (_, i) => pool[(start + i) % pool.length]!) };
    } else {
      const topic = match(prompt, /Topic of these conversations: (?:[^>\n]* > )*([^\n]*?)\.?$/m) ?? 'this topic';
      const count = Number(match(prompt, /Return exactly (\d+) examples/) ?? 1);
      const asks: ExampleAsk[] = Array.from({ length: count }, (_, i) => {
        const line = match(prompt, new RegExp(`^(Example ${i + 1}: .*)$`, 'm')) ?? '';
        return { turns: Number(match(line, /(\d+) user turn/) ?? 1), audience: match(line, /user expertise: ([^;]+);/) ?? 'typical' };
      });
      json = { examples: asks.map((ask) => example(prompt, request.schema, ask, rand, topic)) };
    }
    const text = JSON.stringify(json);
    return {
      text,
      json,
      finish: 'stop',
      usage: { input_tokens: Math.ceil((request.system.length + prompt.length) / 4), output_tokens: Math.ceil(text.length / 4) },
      model: this.model,
    };
  }
}
