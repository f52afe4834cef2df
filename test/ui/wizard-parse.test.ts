import { describe, expect, it } from 'vitest';
import { parsePrice, parseShare, parseSize, parseSplits, parseUsd, slugify, parseSessionName } from '../../src/ui/wizard/parse.js';
import { classifyTask } from '../../src/ui/wizard/sizeGuidance.js';
import { answer, goBack, startWizard, stepNumber } from '../../src/ui/wizard/flow.js';
import { applyProviderChoice, initialChoice, providerChoices } from '../../src/ui/wizard/providerChoices.js';

describe('wizard field parsers', () => {
  it('read sizes the way people type them and explain the rest', () => {
    expect(parseSize('2,000')).toEqual({ ok: true, value: 2000 });
    expect(parseSize('1.5k')).toEqual({ ok: true, value: 1500 });
    expect(parseSize('12.5')).toEqual({ ok: false, error: 'must be a whole number' });
    expect(parseSize('2000000')).toMatchObject({ ok: false, error: 'at most 1,000,000 examples in one session' });
  });

  it('read shares as percentages or fractions', () => {
    expect(parseShare('30%')).toEqual({ ok: true, value: 0.3 });
    expect(parseShare('0.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseShare('45')).toEqual({ ok: true, value: 0.45 });
    expect(parseShare('150%')).toMatchObject({ ok: false });
  });

  it('read splits that add up to 100 (or 1) and name the total when they do not', () => {
    expect(parseSplits('80/10/10')).toEqual({ ok: true, value: { train: 0.8, validation: 0.1, test: 0.1 } });
    expect(parseSplits('0.9, 0.1')).toEqual({ ok: true, value: { train: 0.9, validation: 0.1, test: 0 } });
    expect(parseSplits('70/20/20')).toEqual({ ok: false, error: 'the shares add up to 110; they must add up to 100' });
    expect(parseSplits('0/50/50')).toEqual({ ok: false, error: 'train must be greater than 0' });
  });

  it('read dollars and prices', () => {
    expect(parseUsd('$12.50')).toEqual({ ok: true, value: 12.5 });
    expect(parseUsd('0')).toMatchObject({ ok: false, error: 'must be greater than 0' });
    expect(parsePrice('$0.40 / $1.60')).toEqual({ ok: true, value: { input: 0.4, output: 1.6 } });
  });

  it('make a folder-safe session name from the task', () => {
    expect(slugify('Customer Support — Returns & Refunds!')).toBe('customer-support-returns-refunds');
    expect(slugify('日本語')).toBe('dataset');
    expect(parseSessionName('../etc')).toMatchObject({ ok: false });
  });

  it('classify tasks for the size guidance', () => {
    expect(classifyTask('sentiment classification')).toBe('simple');
    expect(classifyTask('customer support')).toBe('medium');
    expect(classifyTask('SQL tutor')).toBe('complex');
    expect(classifyTask('support', 'agent')).toBe('complex');
    expect(classifyTask('legal domain adaptation')).toBe('domain');
  });
});

describe('wizard flow', () => {
  it('counts the tools question only for agent datasets', () => {
    const state = startWizard();
    expect(stepNumber(state)).toEqual({ k: 1, n: 21 });
    const agent = { ...state, draft: { ...state.draft, conversation: { ...state.draft.conversation, type: 'agent' as const } } };
    expect(stepNumber(agent).n).toBe(22);
  });

  it('going back keeps answers; backing out of the first question leaves', () => {
    let state = startWizard();
    const outcome = answer(state, { ...state.draft, task: 'sql tutor' });
    expect(outcome.kind).toBe('next');
    state = outcome.state;
    expect(state.at).toBe('domain');
    const back = goBack(state)!;
    expect(back.at).toBe('task');
    expect(back.draft.task).toBe('sql tutor');
    expect(goBack(back)).toBeNull();
  });

  it('an edit from the plan returns as soon as the config is valid again', () => {
    const state = { ...startWizard({ name: 'x' }), at: 'size' as const, returnToPlan: true };
    const outcome = answer(state, { ...state.draft, size: 50 });
    expect(outcome.kind).toBe('done');
    if (outcome.kind === 'done') expect(outcome.config.size).toBe(50);
  });

  it('switching to agent from the plan continues to the tools question instead of returning', () => {
    const state = { ...startWizard({ name: 'x' }), at: 'dataset_type' as const, returnToPlan: true };
    const draft = { ...state.draft, conversation: { ...state.draft.conversation, type: 'agent' as const } };
    const outcome = answer(state, draft);
    expect(outcome.kind).toBe('next');
    expect(outcome.state.at).toBe('tools');
  });
});

describe('provider choices', () => {
  const none = { openai: false, anthropic: false, ollama: { available: false, url: 'http://localhost:11434/v1', models: [] } };

  it('put found providers first and demo last; nothing found means demo', () => {
    const found = { ...none, anthropic: true, ollama: { available: true, url: 'http://localhost:11434/v1', models: ['qwen3:8b'] } };
    const choices = providerChoices(found);
    expect(choices.map((c) => c.id)).toEqual(['anthropic', 'ollama', 'openai', 'compatible', 'demo']);
    expect(initialChoice(choices, startWizard().draft, false)).toBe('anthropic');
    expect(initialChoice(providerChoices(none), startWizard().draft, false)).toBe('demo');
  });

  it('keep the provider a preset or the user chose when it is usable', () => {
    const draft = startWizard({ provider: { ...startWizard().draft.provider, name: 'anthropic' } }).draft;
    expect(initialChoice(providerChoices({ ...none, openai: true, anthropic: true }), draft, true)).toBe('anthropic');
  });

  it('a preset naming a provider whose key is missing highlights what is usable, demo when nothing is', () => {
    const draft = startWizard({ provider: { ...startWizard().draft.provider, name: 'openai' } }).draft;
    expect(initialChoice(providerChoices(none), draft, true)).toBe('demo');
    expect(initialChoice(providerChoices({ ...none, anthropic: true }), draft, true)).toBe('anthropic');
    // still listed, to be picked on purpose
    expect(providerChoices(none).map((c) => c.label)).toContain('openai (no OPENAI_API_KEY in the environment)');
  });

  it('set the model to the new provider default, or keep it when the provider stays', () => {
    const draft = startWizard().draft;
    const ollama = providerChoices({ ...none, ollama: { available: true, url: 'http://localhost:11434/v1', models: ['qwen3:8b'] } }).find((c) => c.id === 'ollama')!;
    const next = applyProviderChoice(draft, ollama);
    expect(next.provider).toMatchObject({ name: 'openai-compatible', base_url: 'http://localhost:11434/v1', model: 'qwen3:8b' });
    const custom = { ...next, provider: { ...next.provider, model: 'llama3.2' } };
    expect(applyProviderChoice(custom, ollama).provider.model).toBe('llama3.2');
  });
});

describe('wave 2 questions', () => {
  it('categories keep their weights by name; weights are even or one per category', async () => {
    const { stepById } = await import('../../src/ui/wizard/steps.js');
    const categories = stepById('categories');
    const weights = stepById('category_weights');
    if (categories.kind !== 'text' || weights.kind !== 'text') throw new Error('text steps expected');
    let draft = startWizard().draft;
    expect(weights.when?.(draft)).toBe(false);
    const a = categories.apply(draft, 'Refunds, Returns');
    if (!a.ok) throw new Error(a.error);
    draft = a.value;
    expect(weights.when?.(draft)).toBe(true);
    expect(weights.value(draft, { answered: new Set() })).toBe('even');
    const w = weights.apply(draft, '3/1');
    if (!w.ok) throw new Error(w.error);
    expect(w.value.topics.categories).toEqual([{ name: 'Refunds', weight: 3 }, { name: 'Returns', weight: 1 }]);
    expect(weights.apply(draft, '3')).toEqual({ ok: false, error: 'type 2 weights, one per category in order (or even)' });
    expect(weights.apply(draft, '0, 1')).toEqual({ ok: false, error: 'every weight must be greater than 0' });
    const again = categories.apply(w.value, 'Returns, Shipping');
    expect(again.ok && again.value.topics.categories).toEqual([{ name: 'Returns', weight: 1 }, { name: 'Shipping', weight: 1 }]);
    expect(categories.apply(draft, 'A, a')).toEqual({ ok: false, error: '"a" is listed twice' });
  });

  it('max turns is asked only with multi-turn conversations, and checked', async () => {
    const { stepById } = await import('../../src/ui/wizard/steps.js');
    const step = stepById('max_turns');
    if (step.kind !== 'text') throw new Error('text step expected');
    const draft = startWizard().draft;
    expect(step.when?.(draft)).toBe(true);
    expect(step.when?.({ ...draft, conversation: { ...draft.conversation, multi_turn: 0 } })).toBe(false);
    expect(step.apply(draft, '21')).toEqual({ ok: false, error: 'must be from 1 to 20' });
    const ok = step.apply(draft, '7');
    expect(ok.ok && ok.value.conversation.max_turns).toBe(7);
  });
});
