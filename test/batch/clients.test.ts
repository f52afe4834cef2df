import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicBody } from '../../src/providers/anthropic.js';
import { AnthropicProvider } from '../../src/providers/anthropic.js';
import { AnthropicBatchClient } from '../../src/providers/anthropic-batch.js';
import { assertBatchCapable, createBatchClient } from '../../src/providers/batch.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { OpenAIBatchClient } from '../../src/providers/openai-batch.js';
import { ProviderError } from '../../src/providers/types.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { allResults, CANARY, client, lines, PROVIDERS, untilFinished, usageSum } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: 5 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setKnobs({ batchProcessingMs: 0, batchLineErrorRate: 0, batchExpire: [], batchInvalid: [], batchMaxLines: null, batchMaxBytes: null, auth: 'valid', record: false, latencyMs: 0 });
  server.resetStats();
});

describe.each(PROVIDERS)('%s batch API on the test server, through the SDK', (provider) => {
  const usageKey = `${provider}.batch`;

  it('answers every line with the live code, usage per line equal to what the server billed, no live request made', async () => {
    const c = client(server, provider);
    const input = lines(12);
    const { batchId } = await c.submit(input, { session: 'sess-a', chunk: 'c0001' });
    const status = await untilFinished(c, batchId);
    expect(status).toMatchObject({ state: 'ended', counts: { total: 12, succeeded: 12, errored: 0 } });
    const results = await allResults(c, batchId);
    expect(results.map((r) => r.customId).sort()).toEqual(input.map((l) => l.customId).sort());
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const asked = input.find((l) => l.customId === r.customId)!;
      const count = Number(/Return exactly (\d+)/.exec(asked.request.messages[0]!.content)![1]);
      expect((r.result.json as { examples: unknown[] }).examples).toHaveLength(count);
      expect(r.result.finish).toBe('stop');
    }
    const stats = server.stats();
    const billed = stats.usageBy[usageKey]!;
    expect(billed.answers).toBe(12);
    expect(usageSum(results)).toEqual({ input: billed.input, output: billed.output });
    expect(stats.byEndpoint['openai.chat.completions']).toBeUndefined();
    expect(stats.byEndpoint['anthropic.messages']).toBeUndefined();
    expect(stats.bySchema.examples).toBe(12);
  });

  it('fails a share of lines as errored, with the live failure kind, and counts them', async () => {
    server.setKnobs({ batchLineErrorRate: 0.3 });
    const c = client(server, provider);
    const { batchId } = await c.submit(lines(40), { session: 's', chunk: 'c0001' });
    const status = await untilFinished(c, batchId);
    const results = await allResults(c, batchId);
    const failed = results.filter((r) => !r.ok);
    expect(results).toHaveLength(40);
    expect(failed.length).toBe(server.stats().faults.batch_line_error);
    expect(failed.length).toBeGreaterThan(4);
    expect(failed.length).toBeLessThan(25);
    for (const f of failed) expect(f.ok === false && f.failure).toMatchObject({ kind: 'errored', failureKind: 'server' });
    expect(status.counts.succeeded).toBe(40 - failed.length);
    expect(status.counts.errored).toBe(failed.length);
  });

  it('expires a batch: the lines answered before the window ran out come back, the rest as expired', async () => {
    server.setKnobs({ batchExpire: [1], batchProcessingMs: 150, batchExpireShare: 0.5 });
    const c = client(server, provider);
    const { batchId } = await c.submit(lines(10), { session: 's', chunk: 'c0001' });
    const status = await untilFinished(c, batchId);
    expect(status.state).toBe('ended');
    expect(status.providerStatus).toBe(provider === 'openai' ? 'expired' : 'ended');
    const results = await allResults(c, batchId);
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const expired = results.filter((r) => !r.ok);
    expect(expired).toHaveLength(5);
    for (const e of expired) expect(e.ok === false && e.failure.kind).toBe('expired');
  });

  it('cancels a running batch: answered lines stay, the others come back as canceled', async () => {
    server.setKnobs({ batchProcessingMs: 400 });
    const c = client(server, provider);
    const { batchId } = await c.submit(lines(20), { session: 's', chunk: 'c0001' });
    await new Promise((r) => setTimeout(r, 120));
    expect((await c.poll(batchId)).state).toBe('in_progress');
    await c.cancel(batchId);
    const status = await untilFinished(c, batchId);
    expect(status.state).toBe('ended');
    const results = await allResults(c, batchId);
    const answered = results.filter((r) => r.ok).length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(20);
    expect(results.filter((r) => !r.ok && r.failure.kind === 'canceled')).toHaveLength(20 - answered);
    expect(server.stats().usageBy[`${provider}.batch`]?.answers).toBe(answered);
    await c.cancel(batchId); // cancelling a finished batch is not an error
  });

  it('lists batches newest first; metadata names the session and chunk where the API has it', async () => {
    const c = client(server, provider);
    const since = Date.now() - 1000;
    const ids: string[] = [];
    for (const [session, chunk] of [['mine', 'c0001'], ['other', 'c0001'], ['mine', 'c0002']] as const) {
      ids.push((await c.submit(lines(2), { session, chunk })).batchId);
    }
    const listed = await c.list({ session: 'mine', createdAfter: since });
    if (provider === 'openai') {
      expect(listed.map((s) => [s.batchId, s.meta])).toEqual([
        [ids[2], { session: 'mine', chunk: 'c0002' }],
        [ids[0], { session: 'mine', chunk: 'c0001' }],
      ]);
    } else {
      // Message Batches have no metadata: every batch of the workspace since then, newest first.
      expect(listed.slice(0, 3).map((s) => s.batchId)).toEqual([ids[2], ids[1], ids[0]]);
      expect(listed.every((s) => s.meta === undefined)).toBe(true);
    }
    // The server pages as the SDK expects: a page of 2 and the cursor after it reach every batch.
    const seen: string[] = [];
    if (provider === 'openai') {
      const sdk = new OpenAI({ apiKey: CANARY, baseURL: server.openaiBaseUrl });
      for await (const b of sdk.batches.list({ limit: 2 })) seen.push(b.id);
    } else {
      const sdk = new Anthropic({ apiKey: CANARY, baseURL: server.anthropicBaseUrl });
      for await (const b of sdk.messages.batches.list({ limit: 2 })) seen.push(b.id);
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('refuses a chunk over the line limit, as the API does', async () => {
    server.setKnobs({ batchMaxLines: 5 });
    const c = client(server, provider);
    if (provider === 'openai') {
      const { batchId } = await c.submit(lines(6), { session: 's', chunk: 'c0001' });
      const status = await untilFinished(c, batchId);
      expect(status.state).toBe('failed');
      expect(status.error).toMatch(/too_many_requests.*limit is 5/);
    } else {
      const err = await c.submit(lines(6), { session: 's', chunk: 'c0001' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).status).toBe(400);
      expect((err as ProviderError).message).toMatch(/at most 5 requests/);
    }
  });

  it('refuses a custom_id outside the rules, and a repeated one', async () => {
    const c = client(server, provider);
    const bad = [{ ...lines(1)[0]!, customId: 't0-1:r0#1' }];
    const twice = [lines(1)[0]!, lines(1)[0]!];
    for (const chunk of provider === 'anthropic' ? [bad, twice] : [twice]) {
      if (provider === 'openai') {
        const { batchId } = await c.submit(chunk, { session: 's', chunk: 'c0001' });
        expect((await untilFinished(c, batchId)).error).toMatch(/duplicate_custom_id/);
      } else {
        const err = (await c.submit(chunk, { session: 's', chunk: 'c0001' }).catch((e: unknown) => e)) as ProviderError;
        expect(err.status).toBe(400);
        expect(err.message).toMatch(/custom_id/);
      }
    }
  });

  it('refuses a batch as invalid input on command (knob batchInvalid)', async () => {
    server.setKnobs({ batchInvalid: [2] });
    const c = client(server, provider);
    const first = await c.submit(lines(2), { session: 's', chunk: 'c0001' });
    expect((await untilFinished(c, first.batchId)).state).toBe('ended');
    if (provider === 'openai') {
      const { batchId } = await c.submit(lines(2), { session: 's', chunk: 'c0002' });
      expect(await untilFinished(c, batchId)).toMatchObject({ state: 'failed', error: expect.stringMatching(/invalid_request \(line 1\)/) });
    } else {
      const err = (await c.submit(lines(2), { session: 's', chunk: 'c0002' }).catch((e: unknown) => e)) as ProviderError;
      expect(err.status).toBe(400);
    }
  });

  it('keeps the key out of its errors', async () => {
    server.setKnobs({ auth: 'invalid' });
    const err = (await client(server, provider).poll('nope').catch((e: unknown) => e)) as ProviderError;
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain(CANARY);
  });
});

describe('batch lines are the live requests', () => {
  it('OpenAI: the uploaded line body is the body the live provider sends', async () => {
    server.setKnobs({ record: true });
    const line = lines(1)[0]!;
    await new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: CANARY, baseUrl: server.openaiBaseUrl, timeoutMs: 5000 }).generate(line.request);
    const live = server.stats().bodies[0]!.body;
    const batch = new OpenAIBatchClient({ model: 'gpt-4.1-mini', apiKey: CANARY, baseUrl: server.openaiBaseUrl, timeoutMs: 5000 });
    expect(JSON.parse(batch.line(line))).toEqual({ custom_id: line.customId, method: 'POST', url: '/v1/chat/completions', body: live });
  });

  it('Anthropic: the batch params are the body the live provider sends (both structured modes)', async () => {
    server.setKnobs({ record: true });
    const line = lines(1)[0]!;
    for (const structured of ['output_config', 'tool'] as const) {
      server.resetStats();
      await new AnthropicProvider({ model: 'claude-haiku-4-5', apiKey: CANARY, baseUrl: server.anthropicBaseUrl, timeoutMs: 5000, structured }).generate(line.request);
      const batch = new AnthropicBatchClient({ model: 'claude-haiku-4-5', apiKey: CANARY, baseUrl: server.anthropicBaseUrl, timeoutMs: 5000, structured });
      expect(batch.request(line).params).toEqual(server.stats().bodies[0]!.body);
      expect(batch.request(line).params).toEqual(anthropicBody('claude-haiku-4-5', line.request, { structured, cacheSystem: true }));
    }
  });

  it('Anthropic tool mode: the answer is read from the tool_use block as live', async () => {
    const c = new AnthropicBatchClient({ model: 'claude-haiku-4-5', apiKey: CANARY, baseUrl: server.anthropicBaseUrl, timeoutMs: 5000, structured: 'tool' });
    const { batchId } = await c.submit(lines(3), { session: 's', chunk: 'c0001' });
    await untilFinished(c, batchId);
    for (const r of await allResults(c, batchId)) expect(r.ok && (r.result.json as { examples: unknown[] }).examples.length).toBeGreaterThan(0);
  });
});

describe('a line the API refuses comes back errored, the rest of the batch answered', () => {
  it('Anthropic: params with temperature (refused under 2026-10-21) give an errored result, not a refused batch', async () => {
    const sdk = new Anthropic({ apiKey: CANARY, baseURL: server.anthropicBaseUrl });
    const c = client(server, 'anthropic') as AnthropicBatchClient;
    const [good, bad] = lines(2);
    const params = { ...c.request(bad!).params, temperature: 1 };
    const batch = await sdk.messages.batches.create({ requests: [c.request(good!), { custom_id: bad!.customId, params }] });
    await untilFinished(c, batch.id);
    const results = await allResults(c, batch.id);
    const refused = results.find((r) => r.customId === bad!.customId)!;
    expect(results.find((r) => r.customId === good!.customId)?.ok).toBe(true);
    expect(refused.ok === false && refused.failure).toMatchObject({ kind: 'errored', status: 400, message: expect.stringMatching(/temperature/) });
  });

  it('OpenAI: a body without messages gives an error-file line with its 400', async () => {
    const sdk = new OpenAI({ apiKey: CANARY, baseURL: server.openaiBaseUrl });
    const c = client(server, 'openai') as OpenAIBatchClient;
    const [good, bad] = lines(2);
    const broken = JSON.stringify({ custom_id: bad!.customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4.1-mini', messages: [] } });
    const file = await sdk.files.create({ file: new File([`${c.line(good!)}\n${broken}\n`], 'in.jsonl'), purpose: 'batch' });
    const batch = await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    await untilFinished(c, batch.id);
    const results = await allResults(c, batch.id);
    expect(results.find((r) => r.customId === good!.customId)?.ok).toBe(true);
    const refused = results.find((r) => r.customId === bad!.customId)!;
    expect(refused.ok === false && refused.failure).toMatchObject({ kind: 'errored', status: 400 });
  });
});

describe('batch mode needs a provider with a batch API', () => {
  it('refuses demo and openai-compatible in one line naming provider.mode', () => {
    for (const name of ['demo', 'openai-compatible']) {
      expect(() => assertBatchCapable(name)).toThrow(/^provider\.mode: batch needs provider openai or anthropic/);
      expect(() => createBatchClient({ name: name as 'demo', model: 'm', timeoutMs: 1000 })).toThrow(/provider\.mode/);
    }
  });
});
