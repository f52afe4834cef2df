/**
 * Personal data found in text, and its redaction.
 *
 * Each kind has a candidate pattern plus, where one exists, a real check, so that look-alikes do not count:
 * - email: local@domain.tld (a dotted domain with a 2+ letter top level; `user@localhost` is not counted).
 * - phone: `+` and a country code with 7-15 digits in all, a number with a bracketed area code, the North
 *   American 3-3-4 form (`555-123-4567`, `555.123.4567`, `555 123 4567`), or a national number that starts
 *   with a trunk 0 and has 10-11 digits in separated groups (`020 7946 0958`). A bare run of digits, a date
 *   (`2024-01-15`) or a time is not a phone number.
 * - card: 13-19 digits, optionally grouped by spaces or dashes, that pass the Luhn check.
 * - iban: two letters, two check digits, 11-30 letters/digits (grouped by 4 or not) that pass ISO 7064 mod-97.
 * - national_id: the US Social Security number in its dashed form `AAA-GG-SSSS` (area not 000, 666 or 9xx,
 *   group not 00, serial not 0000; an undashed 9-digit run is too ambiguous to count) and the UK National
 *   Insurance number `AB 12 34 56 C` (spaces optional; the invalid letters and prefixes BG, GB, KN, NK, NT,
 *   TN, ZZ excluded).
 * - ip: IPv4 dotted quads with every octet 0-255 and not part of a longer dotted run (`1.2.3.4.5` is a version,
 *   not an address), and IPv6 addresses that node:net accepts with at least two groups written out.
 * Where two hits overlap, the one found first wins, in this order: email, IPv6, IBAN, card, national id,
 * IPv4, phone (the checked kinds before the looser phone pattern).
 */
import { isIPv6 } from 'node:net';

export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'national_id' | 'ip';

export interface PiiHit {
  kind: PiiKind;
  start: number;
  end: number;
  text: string;
}

const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  national_id: '[NATIONAL_ID]',
  ip: '[IP]',
};

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w-])/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;
const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const NINO = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g;
const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){0,4}(?!\w)/g;
const NANP = /^(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;
const TRUNK = /^0\d{1,4}(?:[ .-]\d{2,5}){1,3}$/;
const NINO_BAD_PREFIX = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, remainder mod 97 is 1. */
export function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, '');
  if (s.length < 15 || s.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function ssnValid(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return group !== '00' && serial !== '0000';
}

function phoneValid(s: string): boolean {
  const digits = digitCount(s);
  if (digits < 7 || digits > 15) return false;
  if (s.startsWith('+')) return /[ .-]/.test(s) || digits >= 10;
  if (NANP.test(s)) return true;
  if (s.startsWith('(')) return digits >= 10;
  return TRUNK.test(s) && digits >= 10 && digits <= 11;
}

type Candidate = PiiHit;

function collect(text: string, re: RegExp, kind: PiiKind, accept: (m: RegExpExecArray) => string | null): Candidate[] {
  const out: Candidate[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const found = accept(m);
    if (found !== null) out.push({ kind, start: m.index, end: m.index + found.length, text: found });
  }
  return out;
}

/** A greedy IBAN candidate may swallow a following group; shorten it group by group until the check holds. */
function ibanPrefix(candidate: string): string | null {
  let s = candidate;
  for (;;) {
    if (ibanValid(s)) return s;
    const cut = s.lastIndexOf(' ');
    if (cut <= 4) return null;
    s = s.slice(0, cut);
  }
}

/** Every personal-data hit in `text`, in order of position, none overlapping. */
export function findPii(text: string): PiiHit[] {
  if (text.length === 0) return [];
  // Cheap tests first: email needs an @, IPv6 a hex digit before a colon (or `::`), every other kind a digit.
  const at = text.includes('@');
  const digit = /\d/.test(text);
  const colon = text.includes(':') && /[0-9A-Fa-f]:[0-9A-Fa-f:]|::/.test(text);
  if (!at && !digit && !colon) return [];
  const ordered: Candidate[][] = [at ? collect(text, EMAIL, 'email', (m) => m[0]) : []];
  if (colon) {
    ordered.push(
      collect(text, IPV6, 'ip', (m) => {
        const groups = m[0].split(':').filter((g) => g.length > 0).length;
        return groups >= 2 && isIPv6(m[0]) ? m[0] : null;
      }),
    );
  }
  if (digit) {
    ordered.push(
      collect(text, IBAN, 'iban', (m) => ibanPrefix(m[0])),
      collect(text, CARD, 'card', (m) => {
        const digits = m[0].replace(/[ -]/g, '');
        return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? m[0] : null;
      }),
      collect(text, SSN, 'national_id', (m) => (ssnValid(m[1]!, m[2]!, m[3]!) ? m[0] : null)),
      collect(text, NINO, 'national_id', (m) => (NINO_BAD_PREFIX.has(m[1]!) ? null : m[0])),
      collect(text, IPV4, 'ip', (m) => m[0]),
      collect(text, PHONE, 'phone', (m) => (phoneValid(m[0]) ? m[0] : null)),
    );
  }
  const taken: PiiHit[] = [];
  for (const group of ordered) {
    for (const hit of group) {
      if (!taken.some((t) => hit.start < t.end && t.start < hit.end)) taken.push(hit);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** `text` with every hit replaced by its placeholder (`[EMAIL]`, `[PHONE]`, `[CARD]`, `[IBAN]`, `[NATIONAL_ID]`, `[IP]`). */
export function redactPii(text: string): { text: string; hits: PiiHit[] } {
  const hits = findPii(text);
  if (hits.length === 0) return { text, hits };
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += text.slice(at, hit.start) + PLACEHOLDER[hit.kind];
    at = hit.end;
  }
  return { text: out + text.slice(at), hits };
}
