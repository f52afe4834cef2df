/**
 * A dataset file with known problems, generated from a seed: distinct rows of ordinary-looking words, with
 * exact duplicates, near duplicates (one word of the answer changed), rows holding personal data and rows
 * whose answer is far longer than the rest, at line numbers the test knows. Rows come in the openai,
 * sharegpt, alpaca and trl shapes (by position), to show the report reads each.
 */

const WORDS = (
  'account address after again answer apply arrive basket before billing box brand business cancel card carrier change charge check choose ' +
  'color confirm contact courier credit customer damaged date deliver delivery discount email exchange express fee fit form gift help ' +
  'invoice issue item label late leave line list local mail make missing money need news next number offer online open order original ' +
  'package page paid parcel pay payment phone pick place point policy post price print problem product promise receipt refund register ' +
  'request reply return review ship shipping shoe size small soon status store submit support tag team time track travel update wait ' +
  'warehouse week window wrong year'
).split(' ');

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] as string);
  return `${out.join(' ')}.`;
}

export interface Convo {
  user: string;
  assistant: string;
}

export function conversation(rand: () => number, answerWords = 50 + Math.floor(rand() * 20)): Convo {
  return { user: `Question: ${sentence(rand, 14)}`, assistant: sentence(rand, answerWords) };
}

/** The row in one of four shapes, chosen by `shape` (0 openai, 1 sharegpt, 2 alpaca, 3 trl prompt-completion). */
export function row(c: Convo, shape: number): Record<string, unknown> {
  switch (shape % 4) {
    case 1:
      return { conversations: [{ from: 'system', value: 'You help with orders.' }, { from: 'human', value: c.user }, { from: 'gpt', value: c.assistant }] };
    case 2:
      return { instruction: c.user, input: '', output: c.assistant };
    case 3:
      return { prompt: [{ role: 'user', content: c.user }], completion: [{ role: 'assistant', content: c.assistant }] };
    default:
      return { messages: [{ role: 'system', content: 'You help with orders.' }, { role: 'user', content: c.user }, { role: 'assistant', content: c.assistant }] };
  }
}

export interface Fixture {
  text: string;
  rows: number;
  exact: { line: number; of: number }[];
  near: { line: number; of: number }[];
  pii: number[];
  outliers: number[];
}

export function qualityFixture(seed = 7): Fixture {
  const rand = seeded(seed);
  const lines: string[] = [];
  const base: Convo[] = [];
  const fixture: Fixture = { text: '', rows: 0, exact: [], near: [], pii: [], outliers: [] };
  const add = (c: Convo, shape: number) => lines.push(JSON.stringify(row(c, shape)));
  for (let i = 0; i < 60; i++) {
    const c = conversation(rand);
    if (i === 10) c.assistant += ' Write to jane.doe@example.com for a label.';
    if (i === 25) c.user += ' My card is 4111 1111 1111 1111.';
    // A 16-digit order number that fails Luhn: not a card, not PII.
    if (i === 30) c.user += ' Order 4111 1111 1111 1112 is late.';
    if (i === 18 || i === 44) c.assistant = sentence(rand, 900);
    base.push(c);
    add(c, i);
    if (i === 10 || i === 25) fixture.pii.push(lines.length);
    if (i === 18 || i === 44) fixture.outliers.push(lines.length);
  }
  const copy = (of: number, shape: number, change?: (c: Convo) => Convo) => {
    const c = base[of - 1] as Convo;
    add(change ? change(c) : c, shape);
    return lines.length;
  };
  // Exact: the same conversation again, in the same shape, in another shape, and with case and punctuation changed.
  fixture.exact.push({ line: copy(3, 2), of: 3 });
  fixture.exact.push({ line: copy(7, 1), of: 7 });
  fixture.exact.push({ line: copy(40, 39, (c) => ({ user: c.user.toUpperCase(), assistant: c.assistant.replace(/\./g, '!') })), of: 40 });
  // Near: one word of the answer changed.
  const oneWord = (c: Convo) => {
    const words = c.assistant.split(' ');
    words[5] = 'zeppelin';
    return { user: c.user, assistant: words.join(' ') };
  };
  fixture.near.push({ line: copy(12, 11, oneWord), of: 12 });
  fixture.near.push({ line: copy(50, 49, oneWord), of: 50 });
  lines.splice(lines.length, 0, '');
  fixture.rows = lines.filter((l) => l !== '').length;
  fixture.text = `${lines.join('\n')}\n`;
  return fixture;
}
