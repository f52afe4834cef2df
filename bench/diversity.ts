/**
 * Diversity feedback (issue 11): the duplicate rejection rate with and without the "do not repeat these
 * openings" block, against the test server's `repeatUnlessAvoided` knob (a server that repeats each
 * topic's few canned conversations until the prompt lists them). The loop is test/quality/diversity-loop.ts:
 * the engine's DuplicateIndex and the quality module's AcceptedOpenings, one example per request.
 *
 *   node --import tsx bench/diversity.ts [--topics 20] [--per-topic 10]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { diversityLoop } from '../test/quality/diversity-loop.js';
import { startTestServer } from '../test/server/index.js';
import { fixed, type BenchOutcome } from './report.js';

export async function benchDiversity(topics = 20, perTopic = 10): Promise<BenchOutcome> {
  const server = await startTestServer({ seed: 8, repeatUnlessAvoided: 3 });
  try {
    const maxAttempts = perTopic * 3;
    const off = await diversityLoop(server.openaiBaseUrl, { topics, perTopic, feedback: false, maxAttempts });
    const on = await diversityLoop(server.openaiBaseUrl, { topics, perTopic, feedback: true, maxAttempts });
    const pct = (x: number) => `${fixed(100 * x, 1)}%`;
    return {
      figures: [
        { bench: 'diversity', figure: 'duplicate rejections without feedback', target: '(reported)', result: pct(off.rate), pass: null },
        { bench: 'diversity', figure: 'duplicate rejections with feedback', target: 'lower', result: pct(on.rate), pass: on.rate < off.rate },
      ],
      notes: [
        `diversity: ${topics} topics x ${perTopic} wanted, at most ${maxAttempts} attempts a topic; without feedback ${off.accepted} accepted in ${off.attempts} attempts ` +
          `(${off.duplicates} duplicates), with feedback ${on.accepted} accepted in ${on.attempts} attempts (${on.duplicates} duplicates)`,
      ],
    };
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { topics: { type: 'string' }, 'per-topic': { type: 'string' } } });
  const outcome = await benchDiversity(values.topics ? Number(values.topics) : undefined, values['per-topic'] ? Number(values['per-topic']) : undefined);
  for (const f of outcome.figures) console.log(`${f.figure}: ${f.result} (target ${f.target})`);
  for (const n of outcome.notes) console.log(n);
}
