import { describe, expect, it } from 'vitest';
import { findPii, ibanValid, luhnValid, redactPii, type PiiKind } from '../../src/core/quality/pii.js';

function kinds(text: string): Array<[PiiKind, string]> {
  return findPii(text).map((h) => [h.kind, h.text]);
}

describe('findPii: true positives', () => {
  it.each<[string, PiiKind, string]>([
    ['write to jane.doe+news@mail.example.co.uk today', 'email', 'jane.doe+news@mail.example.co.uk'],
    ['call (555) 123-4567 after six', 'phone', '(555) 123-4567'],
    ['call 555-123-4567', 'phone', '555-123-4567'],
    ['call 555.123.4567', 'phone', '555.123.4567'],
    ['ring +44 20 7946 0958 please', 'phone', '+44 20 7946 0958'],
    ['ring +1 (555) 123-4567', 'phone', '+1 (555) 123-4567'],
    ['the office is on 020 7946 0958', 'phone', '020 7946 0958'],
    ['pay with 4111 1111 1111 1111 now', 'card', '4111 1111 1111 1111'],
    ['card 4111-1111-1111-1111.', 'card', '4111-1111-1111-1111'],
    ['amex 378282246310005', 'card', '378282246310005'],
    ['IBAN GB82 WEST 1234 5698 7654 32 for rent', 'iban', 'GB82 WEST 1234 5698 7654 32'],
    ['IBAN DE89370400440532013000.', 'iban', 'DE89370400440532013000'],
    ['my SSN is 123-45-6789', 'national_id', '123-45-6789'],
    ['NI number CE 12 34 56 A', 'national_id', 'CE 12 34 56 A'],
    ['NI number AB123456D', 'national_id', 'AB123456D'],
    ['server at 192.168.1.10, port 22', 'ip', '192.168.1.10'],
    ['v6 2001:db8:85a3::8a2e:370:7334 is up', 'ip', '2001:db8:85a3::8a2e:370:7334'],
    ['loopback fe80::1 only', 'ip', 'fe80::1'],
    ['letters only dead:beef::cafe here', 'ip', 'dead:beef::cafe'],
  ])('%s', (text, kind, found) => {
    expect(kinds(text)).toEqual([[kind, found]]);
  });

  it('reports positions that slice back to the hit', () => {
    const text = 'a@b.io and 10.0.0.1 and 123-45-6789';
    for (const hit of findPii(text)) expect(text.slice(hit.start, hit.end)).toBe(hit.text);
    expect(findPii(text).map((h) => h.kind)).toEqual(['email', 'ip', 'national_id']);
  });
});

describe('findPii: near misses are not hits', () => {
  it.each([
    ['a 16-digit number failing Luhn', 'order 4111 1111 1111 1112 shipped'],
    ['a bare 16-digit id failing Luhn', 'ticket 1234567890123456'],
    ['an IBAN with wrong check digits', 'IBAN GB83 WEST 1234 5698 7654 32'],
    ['an SSN with area 000', 'id 000-12-3456'],
    ['an SSN with area 666', 'id 666-12-3456'],
    ['an SSN with group 00', 'id 123-00-4567'],
    ['an undashed nine-digit run', 'ref 123456789'],
    ['a NINO with a forbidden prefix', 'GB 12 34 56 C'],
    ['a NINO with a forbidden first letter (the QQ specimen)', 'QQ 12 34 56 C'],
    ['an IPv4 with an octet over 255', 'host 256.1.1.1'],
    ['a four-part version number inside a longer run', 'version 1.2.3.4.5'],
    ['a time of day', 'at 12:30:45 sharp'],
    ['a date', 'on 2024-01-15 and 15.01.2024'],
    ['an email without a top-level domain', 'root@localhost'],
    ['a short number', 'room 1234, floor 5'],
    ['a price', 'it costs 1,299.99 dollars'],
  ])('%s', (_label, text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe('checks', () => {
  it('luhn and mod-97 accept known-good and reject one-digit changes', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
  });
});

describe('redactPii', () => {
  it('replaces every hit with its placeholder and returns the hits', () => {
    const input = 'Mail jo@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111, SSN 123-45-6789, ip 10.1.2.3, IBAN DE89370400440532013000.';
    const { text, hits } = redactPii(input);
    expect(text).toBe('Mail [EMAIL] or call [PHONE]; card [CARD], SSN [NATIONAL_ID], ip [IP], IBAN [IBAN].');
    expect(hits.map((h) => h.kind)).toEqual(['email', 'phone', 'card', 'national_id', 'ip', 'iban']);
  });

  it('leaves clean text untouched', () => {
    const input = 'Nothing personal here: version 2.0, 3 apples, 2024-01-15.';
    expect(redactPii(input)).toEqual({ text: input, hits: [] });
  });
});
