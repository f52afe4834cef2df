/**
 * A sample as display lines: role-labelled turns, sanitised (model text is data, never escape sequences),
 * wrapped to the width and cut to a line budget so the live region keeps its height.
 */
import type { Message, Sample } from '../../core/types.js';
import { sanitizeForTerminal, sanitizeLine } from '../sanitize.js';

export interface SampleLine {
  role: Message['role'] | 'reasoning' | 'more';
  text: string;
}

/** Wrapped lines of `text`, at most `limit` + 1 (enough to know there is more). */
function wrap(text: string, width: number, limit: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (out.length > limit) break;
    let rest = paragraph.replace(/\t/g, '  ').trimEnd();
    if (rest === '') continue;
    while (rest.length > width && out.length <= limit) {
      const cut = rest.lastIndexOf(' ', width);
      const at = cut > width / 2 ? cut : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(at).trimStart();
    }
    out.push(rest);
  }
  return out;
}

function turnText(message: Message): string {
  const calls = (message.tool_calls ?? []).map((c) => `→ ${c.function.name}(${c.function.arguments})`);
  return [message.content, ...calls].filter((t) => t !== '').join('\n');
}

/** One heading line: "billing › refunds" with the category first. */
export function sampleHeading(sample: Sample): string {
  const topic = sanitizeLine(sample.topic);
  const category = sanitizeLine(sample.category);
  return topic.startsWith(category) ? topic : `${category} › ${topic}`;
}

/**
 * At most `maxLines` lines, each at most `width` columns (label included). Each turn gets a fair share of
 * the budget so a long first answer does not hide the rest of the conversation.
 */
export function sampleLines(sample: Sample, width: number, maxLines: number): SampleLine[] {
  if (maxLines <= 0) return [];
  const turns: { role: SampleLine['role']; text: string }[] = [];
  if (sample.reasoning) turns.push({ role: 'reasoning', text: sample.reasoning });
  for (const m of sample.messages) turns.push({ role: m.role, text: turnText(m) });
  const labelWidth = 11; // "assistant: "
  const bodyWidth = Math.max(10, width - labelWidth);
  // Only the part that can be shown is sanitised and wrapped: a 100 kB answer costs no more than a short one.
  const chars = (maxLines + 1) * bodyWidth * 2;
  const wrapped = turns.map((t) => {
    const lines = wrap(sanitizeForTerminal(t.text.slice(0, chars)), bodyWidth, maxLines);
    return t.text.length > chars ? [...lines, '…'] : lines;
  });
  const shown = turns.slice(0, maxLines);
  // Round-robin: every turn gets a line, then each one more while it needs it and the budget lasts.
  const need = shown.map((_, i) => Math.max(1, wrapped[i]?.length ?? 1));
  const take = need.map(() => 0);
  for (let left = maxLines, gave = true; left > 0 && gave; ) {
    gave = false;
    for (let i = 0; i < shown.length && left > 0; i++) {
      if (take[i]! < need[i]!) {
        take[i]!++;
        left--;
        gave = true;
      }
    }
  }
  const lines: SampleLine[] = [];
  shown.forEach((turn, i) => {
    const body = wrapped[i]!.length === 0 ? [''] : wrapped[i]!;
    const n = take[i]!;
    const label = `${turn.role}:`.padEnd(labelWidth);
    body.slice(0, n).forEach((text, j) => {
      const cut = j === n - 1 && body.length > n ? `${text.slice(0, bodyWidth - 1)}…` : text;
      lines.push({ role: turn.role, text: `${j === 0 ? label : ' '.repeat(labelWidth)}${cut}` });
    });
  });
  if (turns.length > shown.length && lines.length > 0) {
    lines[lines.length - 1] = { role: 'more', text: `… ${turns.length - shown.length + 1} more turns` };
  }
  return lines.slice(0, maxLines);
}
