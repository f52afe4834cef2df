/**
 * The dataset card's "Use it" section: loading with `datasets` and one short ready-to-run recipe per
 * trainer (TRL SFTTrainer, Axolotl, LLaMA-Factory, OpenAI fine-tuning), each generated from the export's
 * actual format. The Axolotl and LLaMA-Factory parts come from the same functions that write axolotl.yaml
 * and dataset_info.json. The repo id is REPO_PLACEHOLDER until `synthloom push` writes the real one.
 */
import { axolotlConfig, axolotlYaml } from './axolotl.js';
import { datasetId, evalSplit, REPO_PLACEHOLDER, type RowLayout, type SplitFile } from './layout.js';
import { llamaFactoryInfo, llamaFactoryNames } from './llama-factory.js';

const R = REPO_PLACEHOLDER;

function code(lang: string, lines: string[]): string[] {
  return [`\`\`\`${lang}`, ...lines, '```', ''];
}

/** A `.map` that turns the rows into what SFTTrainer reads, or null when they already are. */
function trlConversion(layout: RowLayout): string[] | null {
  if (layout.format === 'alpaca') {
    return [
      'def to_chat(row):',
      ...(layout.system
        ? ['    prompt = [{"role": "system", "content": row["system"]}] if row["system"] else []']
        : ['    prompt = []']),
      '    prompt.append({"role": "user", "content": row["instruction"] + ("\\n\\n" + row["input"] if row["input"] else "")})',
      '    return {"prompt": prompt, "completion": [{"role": "assistant", "content": row["output"]}]}',
      '',
      'dataset = dataset.map(to_chat, remove_columns=dataset["train"].column_names)',
    ];
  }
  if (layout.format === 'sharegpt') {
    const tools = layout.toolCalls || layout.tools ? ', "function_call": "assistant", "observation": "tool"' : '';
    return [
      `ROLES = {"system": "system", "human": "user", "gpt": "assistant"${tools}}`,
      'dataset = dataset.map(',
      '    lambda row: {"messages": [{"role": ROLES[t["from"]], "content": t["value"]} for t in row["conversations"]]},',
      // The tools column is a JSON string (LLaMA-Factory's layout), which a chat template cannot iterate.
      `    remove_columns=[${layout.tools ? '"conversations", "tools"' : '"conversations"'}],`,
      ')',
    ];
  }
  return null;
}

function trlRecipe(layout: RowLayout, files: readonly SplitFile[]): string[] {
  const evalFile = evalSplit(files);
  const out = ['### TRL `SFTTrainer`', ''];
  if ((layout.format === 'openai' || layout.format === 'sharegpt') && (layout.toolCalls || layout.tools)) {
    out.push(
      layout.format === 'openai'
        ? "The tool-call arguments of this `openai` export are JSON strings, which TRL's chat templates double-encode: for tool-calling training export with `synthloom export SESSION --format trl`. The recipe below trains the rows as they are."
        : "The tool calls of this `sharegpt` export are function_call/observation text turns, not the layout TRL's chat templates read: for tool-calling training export with `synthloom export SESSION --format trl`. Below, those turns train as plain assistant and tool text.",
      '',
    );
  }
  const conversion = trlConversion(layout);
  out.push(
    ...code('python', [
      'from datasets import load_dataset',
      'from trl import SFTConfig, SFTTrainer',
      '',
      `dataset = load_dataset("${R}")`,
      ...(conversion ? ['', ...conversion] : []),
      '',
      'trainer = SFTTrainer(',
      '    model="Qwen/Qwen3-0.6B",',
      '    train_dataset=dataset["train"],',
      ...(evalFile ? [`    eval_dataset=dataset["${evalFile.split}"],`] : []),
      '    args=SFTConfig(output_dir="sft-output"),',
      ')',
      'trainer.train()',
    ]),
  );
  if (layout.format === 'trl' && layout.trlStyle === 'prompt-completion') out.push('TRL trains on the `completion` only by default.', '');
  if (layout.tools && layout.format === 'trl') out.push('SFTTrainer passes the `tools` column to the chat template.', '');
  return out;
}

function axolotlRecipe(layout: RowLayout, files: readonly SplitFile[]): string[] {
  const out = ['### Axolotl', ''];
  const config = axolotlConfig(layout, files, R);
  if ('unsupported' in config) return [...out, `${config.unsupported}.`, ''];
  out.push('Add to your Axolotl config (`dataset/axolotl.yaml` has the same entries for the local files):', '');
  out.push(...code('yaml', axolotlYaml(config).trimEnd().split('\n')));
  if (layout.format === 'sharegpt' && (layout.toolCalls || layout.tools)) {
    out.push('Axolotl sees `function_call` turns as assistant text (the JSON of the call) and `observation` turns as tool results; for the model\'s native tool-call format export with `--format trl`.', '');
  }
  return out;
}

function llamaFactoryRecipe(name: string, layout: RowLayout, files: readonly SplitFile[]): string[] {
  const out = ['### LLaMA-Factory', ''];
  const base = datasetId(name);
  const info = llamaFactoryInfo(base, layout, files, R);
  if ('unsupported' in info) return [...out, `${info.unsupported}.`, ''];
  const names = llamaFactoryNames(base, files);
  out.push('Add these entries to `data/dataset_info.json` (`dataset/dataset_info.json` has them for the local files):', '');
  out.push(...code('json', JSON.stringify(info, null, 2).split('\n')));
  out.push('and in the training config:', '');
  out.push(...code('yaml', [`dataset: ${names.train}`, ...(names.eval ? [`eval_dataset: ${names.eval}`] : []), 'template: qwen3', 'stage: sft']));
  return out;
}

function openaiRecipe(layout: RowLayout, files: readonly SplitFile[], trainRows: number): string[] {
  const out = ['### OpenAI fine-tuning', ''];
  const evalFile = evalSplit(files);
  const hub = layout.format === 'openai';
  if (!hub) {
    out.push(`OpenAI fine-tuning reads only the \`openai\` format: run \`synthloom export SESSION --format openai\`, then upload SESSION/dataset:`, '');
  } else if (trainRows < 10) {
    out.push(`OpenAI needs at least 10 training examples; this train split has ${trainRows}.`, '');
  }
  out.push(
    ...code('python', [
      ...(hub ? ['from huggingface_hub import hf_hub_download'] : []),
      'from openai import OpenAI',
      '',
      'client = OpenAI()',
      'def upload(name):',
      hub ? `    path = hf_hub_download("${R}", name, repo_type="dataset")` : '    path = f"SESSION/dataset/{name}"',
      '    return client.files.create(file=open(path, "rb"), purpose="fine-tune").id',
      '',
      'job = client.fine_tuning.jobs.create(',
      '    model="gpt-4.1-mini-2025-04-14",',
      '    training_file=upload("train.jsonl"),',
      ...(evalFile ? [`    validation_file=upload("${evalFile.file}"),`] : []),
      ')',
      'print(job.id)',
    ]),
  );
  return out;
}

export function useSection(name: string, layout: RowLayout, files: readonly SplitFile[], trainRows: number): string[] {
  const splits = files.map((f) => `"${f.split}"`).join(', ');
  return [
    '## Load it',
    '',
    ...code('python', ['from datasets import load_dataset', '', `dataset = load_dataset("${R}")  # splits: ${splits}`]),
    `Locally, from this directory: \`load_dataset("json", data_files={${files.map((f) => `"${f.split}": "${f.file}"`).join(', ')}})\`.`,
    '',
    '## Train on it',
    '',
    ...trlRecipe(layout, files),
    ...axolotlRecipe(layout, files),
    ...llamaFactoryRecipe(name, layout, files),
    ...openaiRecipe(layout, files, trainRows),
  ];
}

