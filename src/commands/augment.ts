/**
 * `synthloom augment SESSION --method rephrase|expand|difficulty|format --ratio R [--yes] [--json]`: the
 * plan (how many samples, from how many originals, tokens and USD) is shown before anything is spent;
 * without a terminal it needs --yes (exit 2 otherwise), with one it asks. Then the derivations run in the
 * session (src/core/augment/run.ts) and the dataset is exported again.
 */
import { existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { AUGMENT_METHODS, type AugmentMethod } from '../core/augment/plan.js';
import { augmentationPlan, keptSamples, runAugmentation } from '../core/augment/runner.js';
import { UsageError } from '../core/errors.js';
import { exportSession } from '../core/export/index.js';
import { formatUsd } from '../core/prices.js';
import { readRecords, readSessionFile } from '../core/session/index.js';
import { providerFactory } from '../providers/index.js';
import type { Io } from './reporters.js';

export async function augmentCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { method: { type: 'string' }, ratio: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`augment: ${(err as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('augment: give one SESSION_DIR (synthloom augment SESSION --method rephrase --ratio 0.5)');
  const dir = positionals[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`augment: ${dir} is not a session directory`);
  const method = values.method as AugmentMethod | undefined;
  if (!method || !AUGMENT_METHODS.includes(method)) throw new UsageError(`augment: --method must be one of ${AUGMENT_METHODS.join(', ')}`);
  const ratio = Number(values.ratio);
  if (values.ratio === undefined || !Number.isFinite(ratio) || ratio <= 0 || ratio > 20) throw new UsageError('augment: --ratio must be a number above 0 and at most 20 (0.5 = one new sample for every two)');

  const session = readSessionFile(dir);
  const records = readRecords(dir, false);
  const samples = keptSamples(dir, new Set(records.removed.map((r) => r.id)));
  const plan = augmentationPlan(session.config, samples, { method, ratio }, records.scan.doneSlots);
  const summary = `augment ${method} x${ratio}: ${plan.slots.length} new sample(s) from ${plan.originals} original(s); ` +
    `about ${plan.tokens.input.toLocaleString('en-US')} tokens in, ${plan.tokens.output.toLocaleString('en-US')} out, ${formatUsd(plan.costUsd)} (estimate)`;
  if (values.json) io.stdout.write(`${JSON.stringify({ type: 'augment_plan', method, ratio, samples: plan.slots.length, originals: plan.originals, tokens: plan.tokens, estimateUsd: plan.costUsd })}\n`);
  else io.stdout.write(`${summary}\n`);
  if (plan.slots.length === 0) return 0;
  if (!values.yes) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError('augment: this spends money; run again with --yes to approve the plan above');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question('Spend it? [y/N] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stdout.write('nothing spent\n');
      return 0;
    }
  }
  const provider = providerFactory(env)(session.config.provider);
  let last = 0;
  const result = await runAugmentation(dir, provider, { method, ratio }, (done, total) => {
    if (!values.json && (Date.now() - last > 2000 || done === total)) {
      last = Date.now();
      io.stderr.write(`augment: ${done}/${total}\n`);
    }
  });
  exportSession(dir);
  const line = { type: 'augment_end', added: result.added, rejected: result.rejected, costUsd: result.costUsd };
  if (values.json) io.stdout.write(`${JSON.stringify(line)}\n`);
  else io.stdout.write(`added ${result.added} derived sample(s), ${result.rejected} rejected, ${formatUsd(result.costUsd)} spent; dataset exported again\n`);
  return result.added > 0 || plan.slots.length === 0 ? 0 : 1;
}
