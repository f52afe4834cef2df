/**
 * Opening a large session must be quick: a resume of a session with 100,000 accepted samples (~1 KB each,
 * ~100 MB) has to find what is left before the engine starts. Measured as createRun does it, on a real
 * directory: SessionStore.open (lock, appenders) + scanSamples (torn-line check, done slots) + the open
 * slots from slotSpecs. Target: openMs < 1000. The duplicate-index restore that follows (from dedup.bin,
 * the index's record of every accepted sample) is measured separately as dedupMs. The session is written
 * with its dedup.bin as a run leaves it; writing it is the path of a session from before dedup.bin (every
 * sample hashed once and its record appended), measured as healMs.
 *
 *   node --import tsx bench/resume.ts
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/core/config.js';
import { restoreDuplicates } from '../src/core/dedup-file.js';
import { FILES, readRemoved, scanSamples, SessionStore } from '../src/core/session/index.js';
import { buildPlan } from '../src/core/plan.js';
import { DuplicateIndex } from '../src/core/quality.js';
import { slotSpecs } from '../src/core/slots.js';
import type { Sample, SlotSpec, Topic } from '../src/core/types.js';

const SAMPLES = 100_000;
const TARGET = 110_000;
const CATEGORIES = ['Refunds', 'Exchanges', 'Shipping', 'Warranty', 'Payments', 'Accounts', 'Orders', 'Promotions'];
const SUBTOPICS = 12;

export interface ResumeBench {
  samples: number;
  /** SessionStore.open + scanSamples + open slots: what a resume does before the engine starts. */
  openMs: number;
  /** Restoring the duplicate index from dedup.bin (done by createRun after the above). */
  dedupMs: number;
  /** The same for a session without dedup.bin: every sample hashed (MinHash) and its record appended. */
  healMs: number;
  dedupMb: number;
  remaining: number;
  fileMb: number;
}

function expandedTree(): Topic {
  return {
    id: 't0',
    name: 'e-commerce returns and refunds',
    path: [],
    weight: 1,
    children: CATEGORIES.map((name, c) => ({
      id: `t0-${c}`,
      name,
      path: [name],
      weight: 1,
      children: Array.from({ length: SUBTOPICS }, (_, s) => ({ id: `t0-${c}-${s}`, name: `${name} case ${s}`, path: [name, `${name} case ${s}`], weight: 1, children: [] })),
    })),
  };
}

const WORDS = 'order refund return label parcel courier receipt invoice warranty replacement damaged missing exchange size colour store credit policy window days account address'.split(' ');

/** About 1 KB of plausible, distinct conversation for slot number `i`. */
function sampleFor(spec: SlotSpec, i: number): Sample {
  const words = (n: number, salt: number) => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 13 + salt) % WORDS.length]).join(' ');
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    slot: spec.id,
    category: spec.category,
    topic: spec.path[spec.path.length - 1] ?? spec.category,
    messages: [
      { role: 'system', content: 'You are a friendly support agent for an online store.' },
      { role: 'user', content: `Hi, about order #${100000 + i}: ${words(25, 1)}?` },
      { role: 'assistant', content: `Thanks for reaching out about order #${100000 + i}. ${words(56, 2)}. Reference ${i}.` },
    ],
    model: 'gpt-4.1-mini-2025-04-14',
    usage: { input_tokens: 412, output_tokens: 236 },
    created_at: new Date(1_750_000_000_000 + i * 1000).toISOString(),
  };
}

export async function benchResume(): Promise<ResumeBench> {
  const root = mkdtempSync(join(tmpdir(), 'synthloom-bench-resume-'));
  try {
    const config = parseConfigText(
      `name: big\ntask: customer support\ndomain: e-commerce returns and refunds\nsize: ${TARGET}\noutput_dir: ${root}\n` +
        `topics: { categories: [${CATEGORIES.map((c) => `{name: ${c}}`).join(', ')}], depth: 1, degree: ${SUBTOPICS} }\n`,
      'bench',
    );
    const plan = buildPlan(config, expandedTree());
    const dir = join(root, 'big');
    SessionStore.create(dir, config, plan).close();
    const specs = slotSpecs(config, plan.leaves);
    let bytes = 0;
    for (let start = 0; start < SAMPLES; start += 2000) {
      let chunk = '';
      for (let i = start; i < Math.min(SAMPLES, start + 2000); i++) chunk += `${JSON.stringify(sampleFor(specs[i]!, i))}\n`;
      appendFileSync(join(dir, FILES.samples), chunk);
      bytes += Buffer.byteLength(chunk);
    }
    const healed = SessionStore.open(dir);
    const h0 = performance.now();
    const heal = restoreDuplicates(join(dir, FILES.samples), new Set(), new DuplicateIndex(), healed.dedup);
    const healMs = performance.now() - h0;
    const dedupBytes = healed.dedup.read().length;
    healed.close();

    const t0 = performance.now();
    const store = SessionStore.open(dir);
    const scan = scanSamples(dir, true);
    const open = slotSpecs(store.session.config, plan.leaves).filter((s) => !scan.doneSlots.has(s.id));
    const openMs = performance.now() - t0;

    const t1 = performance.now();
    const dedup = new DuplicateIndex();
    const removed = new Set(readRemoved(dir).map((r) => r.id));
    const restore = restoreDuplicates(join(dir, FILES.samples), removed, dedup, store.dedup);
    const dedupMs = performance.now() - t1;
    store.close();
    if (scan.doneSlots.size !== SAMPLES || open.length !== TARGET - SAMPLES) throw new Error(`bench session is wrong: ${scan.doneSlots.size} done, ${open.length} open`);
    if (heal.hashed !== SAMPLES || restore.restored !== SAMPLES || restore.hashed !== 0) throw new Error(`bench dedup.bin is wrong: ${heal.hashed} hashed, then ${restore.restored} restored and ${restore.hashed} hashed`);
    const mb = (n: number) => Math.round(n / 1e5) / 10;
    return { samples: scan.doneSlots.size, openMs: Math.round(openMs), dedupMs: Math.round(dedupMs), healMs: Math.round(healMs), dedupMb: mb(dedupBytes), remaining: open.length, fileMb: mb(bytes) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await benchResume();
  console.log(
    `resume bench: ${r.samples.toLocaleString('en-US')} samples (${r.fileMb} MB), ${r.remaining.toLocaleString('en-US')} slots left: ` +
      `open + scan + open slots ${r.openMs} ms (target < 1000 ms); duplicate index from dedup.bin (${r.dedupMb} MB) ${r.dedupMs} ms ` +
      `(hashing every sample, for a session without dedup.bin: ${r.healMs} ms)`,
  );
}
