/**
 * The checks OpenAI makes on a batch input file while the batch is `validating`: size and line limits, JSON
 * lines, a unique non-empty custom_id each, POST to the batch's endpoint, one model for the whole file.
 */
export const ENDPOINT = '/v1/chat/completions';

export interface InputLine {
  custom_id: string;
  body: unknown;
}

export interface InputProblem {
  code: string;
  message: string;
  /** 1-based line of the problem, null for the whole file. */
  line: number | null;
}

export function checkInputFile(bytes: Buffer, maxLines: number, maxBytes: number): { lines: InputLine[]; invalid: InputProblem | null } {
  if (bytes.length > maxBytes) return { lines: [], invalid: { code: 'file_too_large', message: `The input file is ${bytes.length} bytes; the limit is ${maxBytes}.`, line: null } };
  const text = bytes.toString('utf8');
  const raw = text.split('\n').filter((l) => l.trim() !== '');
  if (raw.length === 0) return { lines: [], invalid: { code: 'empty_file', message: 'The input file is empty.', line: null } };
  if (raw.length > maxLines) return { lines: [], invalid: { code: 'too_many_requests', message: `The input file has ${raw.length} requests; the limit is ${maxLines}.`, line: null } };
  const seen = new Set<string>();
  const lines: InputLine[] = [];
  let model: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const bad = (code: string, message: string) => ({ lines: [], invalid: { code, message, line: i + 1 } });
    let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: { model?: unknown } };
    try {
      parsed = JSON.parse(raw[i]!) as typeof parsed;
    } catch {
      return bad('invalid_json_line', 'This line is not parseable as valid JSON.');
    }
    if (typeof parsed.custom_id !== 'string' || parsed.custom_id === '') return bad('missing_required_parameter', 'custom_id is required.');
    if (seen.has(parsed.custom_id)) return bad('duplicate_custom_id', `The custom_id for this request is a duplicate of another request: ${parsed.custom_id}.`);
    seen.add(parsed.custom_id);
    if (parsed.method !== 'POST') return bad('invalid_method', 'The method must be POST.');
    if (parsed.url !== ENDPOINT) return bad('mismatched_endpoint', `The url must match the batch endpoint ${ENDPOINT}.`);
    if (!parsed.body || typeof parsed.body !== 'object') return bad('missing_required_parameter', 'body is required.');
    const lineModel = String(parsed.body.model ?? '');
    if (model !== null && lineModel !== model) return bad('mismatched_model', 'All requests in a batch must use the same model.');
    model = lineModel;
    lines.push({ custom_id: parsed.custom_id, body: parsed.body });
  }
  return { lines, invalid: null };
}
