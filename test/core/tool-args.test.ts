import { describe, expect, it } from 'vitest';
import { reduceToolSchema } from '../../src/core/kinds/agent-schema.js';
import { toolSchemaProblem, validateToolCall, withoutOptionalNulls } from '../../src/core/kinds/tool-args.js';
import { bookHotel, searchFlights, TOOLS } from '../fixtures/kinds/tools.js';

const flight = { origin: 'LIS', destination: 'HND', date: '2027-03-14', passengers: 2 };

describe('validateToolCall', () => {
  it('accepts a call of a configured tool with valid arguments, as an object or a JSON string', () => {
    expect(validateToolCall({ name: 'search_flights', arguments: flight }, TOOLS)).toEqual({ ok: true, arguments: flight });
    expect(validateToolCall({ function: { name: 'search_flights', arguments: JSON.stringify(flight) } }, TOOLS)).toMatchObject({ ok: true });
  });

  it('names the tool and the field that is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...flight, passengers: 12 }, /search_flights: arguments\/passengers must be <= 9/],
      [{ ...flight, origin: 'Lisbon' }, /arguments\/origin must match pattern/],
      [{ ...flight, date: '14 March' }, /arguments\/date must match format "date"/],
      [{ origin: 'LIS', destination: 'HND', date: '2027-03-14' }, /must have required property 'passengers'/],
      [{ ...flight, seat: '12A' }, /must NOT have additional properties/],
      [{ ...flight, cabin: 'deluxe' }, /arguments\/cabin must be equal to one of the allowed values/],
    ];
    for (const [args, message] of cases) {
      const check = validateToolCall({ name: 'search_flights', arguments: args as Record<string, unknown> }, TOOLS);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).toMatch(message);
    }
  });

  it('refuses unknown tools, non-JSON and non-object arguments', () => {
    expect(validateToolCall({ name: 'send_email', arguments: {} }, TOOLS)).toEqual({
      ok: false,
      message: 'tool call names "send_email", which is not a configured tool (configured: search_flights, book_hotel, get_weather, lookup_order)',
    });
    expect(validateToolCall({ function: { name: 'get_weather', arguments: '{city: Oslo' } }, TOOLS)).toEqual({ ok: false, message: 'get_weather: arguments are not valid JSON' });
    expect(validateToolCall({ function: { name: 'get_weather', arguments: '["Oslo"]' } }, TOOLS)).toEqual({ ok: false, message: 'get_weather: arguments must be a JSON object' });
  });

  it('reads a null for an optional property as left out (OpenAI strict spells optional as nullable)', () => {
    const args = { city: 'Oslo', check_in: '2027-05-01', nights: 2, guests: { adults: 2, children: null }, amenities: null };
    const check = validateToolCall({ name: 'book_hotel', arguments: args }, TOOLS);
    expect(check).toEqual({ ok: true, arguments: { city: 'Oslo', check_in: '2027-05-01', nights: 2, guests: { adults: 2 } } });
    // a null for a required property is still wrong
    expect(validateToolCall({ name: 'book_hotel', arguments: { ...args, nights: null } }, TOOLS).ok).toBe(false);
    expect(withoutOptionalNulls({ a: null }, { type: 'object', properties: { a: { type: ['string', 'null'] } } }, {})).toEqual({ a: null });
  });

  it('reports a parameter schema that does not compile', () => {
    const broken = { type: 'function' as const, function: { name: 'x', parameters: { type: 'object', properties: { a: { type: 'strang' } } } } };
    expect(toolSchemaProblem(broken)).toMatch(/^tool "x": parameters is not a valid JSON schema/);
    expect(toolSchemaProblem(searchFlights)).toBeNull();
  });
});

describe('reduceToolSchema', () => {
  it('openai: closes objects, requires every property, makes optional ones nullable, moves string lengths into the description', () => {
    const reduced = reduceToolSchema(bookHotel.function.parameters, 'openai') as any;
    expect(reduced.required).toEqual(['city', 'check_in', 'nights', 'guests', 'amenities']);
    expect(reduced.additionalProperties).toBe(false);
    expect(reduced.properties.city).toEqual({ type: 'string', description: '(at least 2 characters)' });
    expect(reduced.properties.nights).toEqual({ type: 'integer', minimum: 1, maximum: 30 });
    expect(reduced.properties.guests.properties.children.type).toEqual(['integer', 'null']);
    expect(reduced.properties.amenities.type).toEqual(['array', 'null']);
    expect(reduced.properties.amenities.maxItems).toBe(3);
  });

  it('anthropic: drops bounds and maxItems into the description, keeps optional properties optional', () => {
    const reduced = reduceToolSchema(bookHotel.function.parameters, 'anthropic') as any;
    expect(reduced.required).toEqual(['city', 'check_in', 'nights', 'guests']);
    expect(reduced.properties.nights).toEqual({ type: 'integer', description: '(minimum 1, maximum 30)' });
    expect(reduced.properties.amenities.maxItems).toBeUndefined();
    expect(reduced.properties.guests.additionalProperties).toBe(false);
  });

  it('inlines $refs and refuses recursive schemas', () => {
    const params = { type: 'object', properties: { to: { $ref: '#/$defs/addr' } }, required: ['to'], $defs: { addr: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
    expect((reduceToolSchema(params, 'anthropic') as any).properties.to.properties.city).toEqual({ type: 'string' });
    const recursive = { type: 'object', properties: { next: { $ref: '#' } } };
    expect(() => reduceToolSchema(recursive, 'openai')).toThrow(/recursive/);
  });
});
