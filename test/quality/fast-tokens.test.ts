import { expect, test } from 'vitest';
import { countTokensFast } from '../../src/core/quality/fast-tokens.js';
import { countTokens } from '../../src/core/tokens.js';

test('countTokensFast gives the o200k count of countTokens, for ASCII and other text', () => {
  const parts = ["We'll", 'refund', 'ORDER', 'ID’s', '12345678', '  ', '\n\n', '\t', 'naïve', 'ÉCOLE', '東京', '🎉', 'x=1;', '{"a":[1,2]}', "don't", "I'M", '...', '/path/', '\r\n', 'Ǆemal'];
  let seed = 3;
  const r = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let j = Math.floor(r() * 25); j > 0; j--) s += parts[Math.floor(r() * parts.length)] + (r() < 0.7 ? ' ' : '');
    expect(countTokensFast(s), JSON.stringify(s)).toBe(countTokens(s));
  }
});
