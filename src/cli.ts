#!/usr/bin/env node
/**
 * synthloom's command line (SPEC 2): argument parsing and the choice between the TUI (a terminal) and the
 * plain/JSON reporters (no terminal, or asked for). Bad usage is one line on stderr and exit 2.
 */
import { diskFault } from './core/disk-fault.js';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { applyOverrides, checkResumeOverrides, loadConfig, PROVIDER_MODES, PROVIDER_NAMES, resolveConfigPath, type Config, type Overrides, type ProviderMode, type ProviderName } from './core/config.js';
import { errorMessage, UsageError } from './core/errors.js';
import { planCommand, presetsCommand, sessionsCommand } from './commands/info.js';
import type { Io } from './commands/reporters.js';
import { runHeadless } from './commands/run.js';
import { withoutUrlCredentials } from './core/url-credentials.js';

const VERSION = '0.1.0';

const USAGE = `synthloom ${VERSION}: build synthetic fine-tuning datasets with LLMs

Usage:
  synthloom                          home screen: new session, saved sessions, presets
  synthloom new [--preset NAME|FILE] requirements wizard
  synthloom plan CONFIG [--json]     the plan and its cost estimate; makes no LLM call
  synthloom run CONFIG [--yes] [--out DIR] [--plain|--json] [--size N] [--provider NAME]
                [--model ID] [--base-url URL] [--concurrency N] [--budget USD] [--mode live|batch]
  synthloom resume SESSION_DIR [--yes] [--retry-failed] [--plain|--json] [--budget USD] [--concurrency N]
  synthloom sessions [DIR] [--json]  sessions under DIR (default ./datasets)
  synthloom export SESSION_DIR [--format openai|trl|alpaca|sharegpt] [--splits 0.8,0.1,0.1] [--seed N]
  synthloom validate FILE.jsonl [--format F]
  synthloom push SESSION_DIR --repo OWNER/NAME [--private] [--revision BRANCH] [--message TEXT]
                                     upload the export to a Hugging Face dataset repo (HF_TOKEN, HF_ENDPOINT)
  synthloom convert FILE --to openai|trl|alpaca|sharegpt [--from auto|F] --out FILE
  synthloom split FILE [--splits 0.8,0.1,0.1] [--seed N] [--stratify FIELD] --out DIR
  synthloom import LOGS.jsonl... --out SESSION_DIR [--where FIELD>=VALUE] [--max-turns N]
                [--system keep|drop|replace:TEXT] [--pii redact|reject|off]   (docs/data-tools.md)
  synthloom tools import (--command CMD | --url URL) [--config FILE]
                                     tool definitions from an MCP server into a config
  synthloom augment SESSION_DIR --method rephrase|expand|difficulty|format --ratio R [--yes] [--json]
  synthloom quality PATH [--json] [--fix --out FILE]   duplicates, diversity, length, PII, thresholds
  synthloom presets                  built-in presets

CONFIG is a YAML file or a preset name. Without a terminal, run and resume need --yes to spend tokens.
Exit codes: 0 done · 1 slots left unfilled · 2 bad usage or input · 3 budget cap reached · 130 interrupted.`;

const OVERRIDE_OPTIONS = {
  size: { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  concurrency: { type: 'string' },
  budget: { type: 'string' },
  out: { type: 'string' },
  mode: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const MODE_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  plain: { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(verb: string, argv: string[], options: O, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${verb}: ${errorMessage(err).replace(/^TypeError \[[A-Z_]+\]: /, '')}`);
  }
  if (parsed.positionals.length < positionals.min) throw new UsageError(`${verb}: missing ${positionals.names} (see synthloom --help)`);
  if (parsed.positionals.length > positionals.max) throw new UsageError(`${verb}: unexpected argument "${parsed.positionals[positionals.max]}"`);
  return parsed;
}

function number(flag: string, value: string | undefined, opts: { integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '' || (opts.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag}: "${value}" is not ${opts.integer ? 'a whole number' : 'a number'}`);
  }
  return n;
}

function overridesFrom(values: Record<string, string | boolean | undefined>): Overrides {
  const provider = values.provider as string | undefined;
  if (provider !== undefined && !PROVIDER_NAMES.includes(provider as ProviderName)) {
    throw new UsageError(`--provider: unknown provider "${provider}": use ${PROVIDER_NAMES.join(', ')}`);
  }
  const mode = values.mode as string | undefined;
  if (mode !== undefined && !PROVIDER_MODES.includes(mode as ProviderMode)) {
    throw new UsageError(`--mode: unknown mode "${mode}": use ${PROVIDER_MODES.join(' or ')} (provider.mode)`);
  }
  return {
    size: number('size', values.size as string | undefined, { integer: true }),
    provider: provider as ProviderName | undefined,
    model: values.model as string | undefined,
    base_url: values['base-url'] as string | undefined,
    concurrency: number('concurrency', values.concurrency as string | undefined, { integer: true }),
    budget_usd: number('budget', values.budget as string | undefined),
    output_dir: values.out as string | undefined,
    mode: mode as ProviderMode | undefined,
  };
}

function configFrom(ref: string, values: Record<string, string | boolean | undefined>, io: Io): Config {
  const { config } = loadConfig(ref);
  const clean = withoutUrlCredentials(applyOverrides(config, overridesFrom(values)));
  if (clean.warning) io.stderr.write(`synthloom: warning: ${clean.warning}\n`);
  return clean.config;
}

function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

async function tui(opts: Parameters<typeof import('./ui/index.js').startTui>[0]): Promise<number> {
  if (!isInteractive()) throw new UsageError('this command needs a terminal; without one use: synthloom plan CONFIG, then synthloom run CONFIG --yes');
  const [{ startTui }, { providerFactory }, { detectProviders }, { batchClientFactory }] = await Promise.all([import('./ui/index.js'), import('./providers/index.js'), import('./providers/detect.js'), import('./providers/batch.js')]);
  // The composition root: the TUI gets its providers from here and never creates one itself.
  return startTui(opts, {}, { providers: providerFactory(process.env), detectProviders, batchClients: batchClientFactory(process.env) });
}

async function main(argv: string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case undefined:
      if (!isInteractive()) {
        io.stdout.write(`${USAGE}\n`);
        return 0;
      }
      return tui({ screen: 'home' });
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return 0;
    case '-v':
    case '--version':
      io.stdout.write(`${VERSION}\n`);
      return 0;
    case 'new': {
      const { values } = parse('new', rest, { preset: { type: 'string' } }, { min: 0, max: 0, names: '' });
      const initial = values.preset ? loadConfig(values.preset).config : undefined;
      return tui({ screen: 'wizard', initial });
    }
    case 'plan': {
      const { values, positionals } = parse('plan', rest, { json: { type: 'boolean' }, ...OVERRIDE_OPTIONS }, { min: 1, max: 1, names: 'CONFIG' });
      // The command to start it repeats the config and the overrides, as typed.
      const source = positionals[0]!;
      const args = [source, ...rest.filter((a, i) => a !== '--json' && !(a === source && i === rest.indexOf(source)))];
      return planCommand(configFrom(source, values, io), Boolean(values.json), io, args, dirname(resolveConfigPath(source)));
    }
    case 'run': {
      const { values, positionals } = parse('run', rest, { ...MODE_OPTIONS, ...OVERRIDE_OPTIONS }, { min: 1, max: 1, names: 'CONFIG' });
      if (values.plain && values.json) throw new UsageError('run: choose one of --plain and --json');
      const config = configFrom(positionals[0]!, values, io);
      if (!values.plain && !values.json && isInteractive()) return tui({ screen: 'plan', config, yes: Boolean(values.yes), baseDir: dirname(resolveConfigPath(positionals[0]!)) });
      return runHeadless({ config, baseDir: dirname(resolveConfigPath(positionals[0]!)) }, values.json ? 'json' : 'plain', Boolean(values.yes), io);
    }
    case 'resume': {
      const options = { ...MODE_OPTIONS, 'retry-failed': { type: 'boolean' }, budget: { type: 'string' }, concurrency: { type: 'string' } } as const;
      const { values, positionals } = parse('resume', rest, options, { min: 1, max: 1, names: 'SESSION_DIR' });
      if (values.plain && values.json) throw new UsageError('resume: choose one of --plain and --json');
      const dir = positionals[0]!;
      if (!existsSync(dir)) throw new UsageError(`resume: ${dir} does not exist (see: synthloom sessions)`);
      if (!statSync(dir).isDirectory()) throw new UsageError(`resume: ${dir} is not a directory`);
      const budgetUsd = number('budget', values.budget);
      const concurrency = number('concurrency', values.concurrency, { integer: true });
      checkResumeOverrides({ budgetUsd, concurrency });
      if (!values.plain && !values.json && isInteractive()) {
        return tui({ screen: 'resume', dir, yes: Boolean(values.yes), retryFailed: Boolean(values['retry-failed']) });
      }
      const opts = { dir, resume: true, retryFailed: Boolean(values['retry-failed']), acceptPlanChange: Boolean(values.yes), budgetUsd, concurrency };
      return runHeadless(opts, values.json ? 'json' : 'plain', Boolean(values.yes), io);
    }
    case 'sessions': {
      const { values, positionals } = parse('sessions', rest, { json: { type: 'boolean' } }, { min: 0, max: 1, names: 'DIR' });
      return sessionsCommand(positionals[0] ?? './datasets', Boolean(values.json), io);
    }
    case 'export': {
      const { exportCommand } = await import('./commands/export.js');
      return exportCommand(rest, io);
    }
    case 'push': {
      const { pushCommand } = await import('./commands/push.js');
      return pushCommand(rest, io);
    }
    case 'validate': {
      const { validateCommand } = await import('./commands/validate.js');
      return validateCommand(rest, io);
    }
    case 'convert':
      return (await import('./commands/data-tools.js')).convertCommand(rest, io);
    case 'split':
      return (await import('./commands/data-tools.js')).splitCommand(rest, io);
    case 'import':
      return (await import('./commands/import.js')).importCommand(rest, io);
    case 'tools': {
      const { toolsCommand } = await import('./commands/tools.js');
      return toolsCommand(rest, io);
    }
    case 'augment':
      return (await import('./commands/augment.js')).augmentCommand(rest, io);
    case 'quality': {
      const { qualityCommand } = await import('./commands/quality.js');
      return qualityCommand(rest, io);
    }
    case 'presets':
      parse('presets', rest, {}, { min: 0, max: 0, names: '' });
      return presetsCommand(io);
    default:
      throw new UsageError(`unknown command "${verb}" (see synthloom --help)`);
  }
}

async function cli(): Promise<void> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  let code: number;
  try {
    code = await main(process.argv.slice(2), io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`synthloom: ${err.message}\n`);
      if (err.hint) io.stderr.write(`hint: ${err.hint}\n`);
      code = err.exitCode;
    } else if (diskFault(err)) {
      // The disk, not us: one line naming the path and the cause (issue 15, 3); nothing written was lost.
      const f = diskFault(err)!;
      io.stderr.write(`synthloom: cannot write ${f.path || 'the session directory'}: ${f.cause} (${f.code}); nothing written was lost: fix it and run the command again\n`);
      code = 1;
    } else {
      io.stderr.write(`synthloom: internal error: ${errorMessage(err)}\n`);
      if (process.env.SYNTHLOOM_DEBUG) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
      code = 1;
    }
  }
  // Exit once stdout has drained, without waiting for idle keep-alive sockets.
  process.stdout.write('', () => process.exit(code));
}

await cli();
