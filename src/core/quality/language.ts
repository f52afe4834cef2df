/**
 * Language check with franc-min (the 82 most spoken languages, ISO 639-3 codes). The config names the
 * language as ISO 639-1 (`en`) or 639-3 (`eng`). Text too short to tell (under MIN_CHARS letters, or franc
 * answers `und`) passes: a short answer is not evidence of the wrong language.
 */
import { franc } from 'franc-min';
import type { Message } from '../types.js';
import type { CheckResult } from './check.js';

/** ISO 639-1 to the 639-3 code franc-min answers, for the languages it knows that have a 639-1 code. */
const ISO1: Record<string, string> = {
  en: 'eng', fr: 'fra', de: 'deu', es: 'spa', pt: 'por', it: 'ita', nl: 'nld', pl: 'pol', tr: 'tur', ro: 'ron',
  hu: 'hun', cs: 'ces', sv: 'swe', ru: 'rus', uk: 'ukr', bg: 'bul', be: 'bel', kk: 'kaz', ar: 'arb', ur: 'urd',
  fa: 'pes', hi: 'hin', mr: 'mar', ne: 'npi', id: 'ind', vi: 'vie', sw: 'swh', ha: 'hau', yo: 'yor', ig: 'ibo',
  tl: 'tgl', zu: 'zul', so: 'som', rw: 'kin', ms: 'zlm', jv: 'jav', su: 'sun', hr: 'hrv', bs: 'bos', sr: 'srp',
  uz: 'uzn', az: 'azj', zh: 'cmn', ja: 'jpn', ko: 'kor', th: 'tha', el: 'ell', bn: 'ben', te: 'tel', ta: 'tam',
  gu: 'guj', kn: 'kan', ml: 'mal', my: 'mya', pa: 'pan', am: 'amh', si: 'sin', ny: 'nya', ps: 'pbu', ku: 'ckb',
  mg: 'plt', rn: 'run', ln: 'lin',
};

const KNOWN3 = new Set([
  ...Object.values(ISO1),
  'fuv', 'ceb', 'qug', 'mad', 'zyb', 'hms', 'hnj', 'ilo', 'koi', 'skr', 'mai', 'bho', 'mag',
]);

/** Letters needed before the language is judged. */
export const MIN_CHARS = 40;

/** franc-min's code for a configured language, or null when it does not know it. */
export function languageCode(configured: string): string | null {
  const code = configured.trim().toLowerCase();
  if (ISO1[code]) return ISO1[code] as string;
  return KNOWN3.has(code) ? code : null;
}

export function languageProblem(configured: string): string | null {
  return languageCode(configured) === null
    ? `"${configured}" is not a language the detector knows (use an ISO 639-1 code such as en, de, fr, or an ISO 639-3 code)`
    : null;
}

/** The detected ISO 639-3 code of text, or null when it is too short to tell. */
export function detectLanguage(text: string): string | null {
  const letters = text.replace(/[^\p{L}]+/gu, '');
  if (letters.length < MIN_CHARS) return null;
  const found = franc(text, { minLength: MIN_CHARS });
  return found === 'und' ? null : found;
}

/**
 * Every user and assistant turn together must read as `language`. Code blocks are left out (code is
 * "English" to a trigram model whatever the conversation's language).
 */
export function checkLanguage(messages: readonly Message[], language: string): CheckResult {
  const want = languageCode(language);
  if (want === null) return { ok: false, kind: 'filtered', message: languageProblem(language) as string };
  const prose = messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => m.content.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`]*`/g, ' '))
    .join('\n');
  const found = detectLanguage(prose);
  if (found === null || found === want) return { ok: true };
  return { ok: false, kind: 'filtered', message: `language: the conversation reads as ${found}, not ${want} (quality.language: ${language})` };
}
