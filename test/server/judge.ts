/**
 * The test server's answers to the LLM judge's schema (named or titled `judge`, one property per criterion
 * under `criteria`): every criterion gets a score and a one-sentence rationale. With the `judgeFailRate`
 * knob, that share of answers scores every criterion 1 (under any threshold above 1); the others score 4
 * or 5 (over the default 3.5).
 */
import type { AnswerContext, JsonSchema } from './answers.js';

export function isJudgeSchema(name: string | undefined, schema: JsonSchema): boolean {
  return (name ?? schema.title) === 'judge';
}

/** The judge answer for `schema`, or null when the schema is not the judge's. */
export function judgeAnswer(name: string | undefined, schema: JsonSchema, ctx: AnswerContext, failRate: number): unknown {
  if (!isJudgeSchema(name, schema)) return null;
  const criteria = (schema.properties as Record<string, JsonSchema> | undefined)?.criteria;
  const names = Object.keys((criteria?.properties as Record<string, unknown> | undefined) ?? {});
  const fail = ctx.rng() < failRate;
  return {
    criteria: Object.fromEntries(
      names.map((criterion) => {
        const score = fail ? 1 : ctx.rng() < 0.5 ? 4 : 5;
        const rationale = fail
          ? `The conversation falls short on ${criterion.replace(/_/g, ' ')}: the answer is generic and misses the point (request ${ctx.counter}).`
          : `Good ${criterion.replace(/_/g, ' ')}: the answer is on topic and clear.`;
        return [criterion, { score, rationale }];
      }),
    ),
  };
}
