import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modelRefusal } from '../fixtures/model-refusal.js';
import { createSimulator, type CallContext } from '../../src/models/index.js';
import { Rng, digest } from '../../src/models/rng.js';
import { schemaInstance } from '../../src/models/schema-instance.js';
import { pythonTuple } from '../../src/models/schema-strict.js';
import { tokenizer } from '../../src/models/tokenizer.js';
import { validate } from '../fixtures/json-schema-validator.js';

/** Structured outputs: `response_format` json_schema and json_object answered with valid JSON, and OpenAI's refusals of bad schemas. */
const sim = createSimulator();
const ctx: CallContext = { deployment: 'dep', modelName: 'gpt-4o', created: 1_700_000_000, id: 'chatcmpl-test' };
type Json = Record<string, any>;
const chat = (body: unknown): Json => sim.chat(body, ctx) as Json;
const user = (content: string) => [{ role: 'user', content }];
const jsonSchema = (schema: unknown, strict = true, name = 'answer') => ({ type: 'json_schema', json_schema: { name, strict, schema } });

/** OpenAI's 400 for a chat body. */
const refusal = (body: unknown) => modelRefusal(() => sim.chat(body, ctx));

const strictObject = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

/** Schemas covering every keyword the generator honours. */
const SCHEMAS: Record<string, unknown> = {
  scalars: strictObject({
    name: { type: 'string' },
    count: { type: 'integer', minimum: 3, maximum: 7 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    step: { type: 'number', minimum: 0, maximum: 10, multipleOf: 0.5 },
    even: { type: 'integer', minimum: 1, maximum: 99, multipleOf: 2 },
    ok: { type: 'boolean' },
    nothing: { type: 'null' },
  }),
  enums: strictObject({ color: { type: 'string', enum: ['red', 'green', 'blue'] }, version: { const: 2 }, mixed: { enum: [1, 'one', null] } }),
  formats: strictObject({
    at: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    time: { type: 'string', format: 'time' },
    mail: { type: 'string', format: 'email' },
    id: { type: 'string', format: 'uuid' },
    short: { type: 'string', minLength: 12, maxLength: 15 },
    tiny: { type: 'string', maxLength: 2 },
  }),
  arrays: strictObject({
    tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
    none: { type: 'array', items: { type: 'integer' }, maxItems: 0 },
    unique: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 3 }, minItems: 3, maxItems: 3, uniqueItems: true },
    pairs: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: { type: 'boolean' } },
  }),
  nested: strictObject({
    steps: { type: 'array', items: strictObject({ explanation: { type: 'string' }, output: { type: 'string' } }) },
    final: strictObject({ answer: { type: 'string' }, sure: { type: 'boolean' } }),
  }),
  nullable: strictObject({
    maybe: { type: ['string', 'null'] },
    either: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
    one: { oneOf: [{ type: 'integer', minimum: 0, maximum: 5 }, { type: 'string', enum: ['x'] }] },
  }),
  refs: strictObject(
    { home: { $ref: '#/$defs/address' }, work: { $ref: '#/definitions/address' }, history: { type: 'array', items: { $ref: '#/$defs/address' } } },
    {
      $defs: { address: strictObject({ street: { type: 'string' }, city: { type: 'string' } }) },
      definitions: { address: strictObject({ street: { type: 'string' }, zip: { type: 'string', minLength: 5, maxLength: 5 } }) },
    },
  ),
  recursive: strictObject(
    { root: { $ref: '#/$defs/node' } },
    { $defs: { node: strictObject({ label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }) } },
  ),
  recursiveRoot: strictObject({ value: { type: 'integer' }, next: { anyOf: [{ $ref: '#' }, { type: 'null' }] } }),
  allOf: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'integer' } }, required: ['b'] }] },
};

describe('schema instances', () => {
  test('every generated value is valid against its schema, for many seeds', () => {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      for (let seed = 0; seed < 200; seed++) {
        const value = schemaInstance(schema, new Rng(digest([name, String(seed)])), { strict: true });
        assert.deepEqual(validate(value, schema), [], `${name} #${seed}: ${JSON.stringify(value)}`);
      }
    }
  });

  test('the test validator itself finds faults (so a pass above means something)', () => {
    assert.deepEqual(validate({ count: 9, extra: 1 }, SCHEMAS['scalars']).slice(0, 3), [
      "$: missing required 'name'",
      "$: missing required 'ratio'",
      "$: missing required 'step'",
    ]);
    assert.deepEqual(validate({ a: 1 }, strictObject({ a: { type: 'integer', maximum: 0 } })), ['$.a: above 0']);
    assert.deepEqual(validate({ at: '2024-13-01T00:00:00Z' }, { properties: { at: { format: 'date-time' } } }), ['$.at: not a date-time']);
    assert.deepEqual(validate({ home: { street: 's' } }, SCHEMAS['refs']).length > 0, true);
  });

  test('non-strict schemas: required properties always, optional ones sometimes', () => {
    const schema = { type: 'object', properties: { must: { type: 'string' }, may: { type: 'integer' } }, required: ['must'] };
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const value = schemaInstance(schema, new Rng(digest(['loose', String(seed)])), { strict: false }) as Json;
      assert.deepEqual(validate(value, schema), []);
      seen.add(Object.keys(value).join(','));
    }
    assert.deepEqual([...seen].sort(), ['must', 'must,may']);
  });

  test('the same seed gives the same value; strings are vocabulary words', () => {
    const schema = SCHEMAS['nested'];
    const a = schemaInstance(schema, new Rng(digest(['same'])), { strict: true });
    const b = schemaInstance(schema, new Rng(digest(['same'])), { strict: true });
    assert.deepEqual(a, b);
    assert.match((a as Json)['final'].answer, /^[a-z]+( [a-z]+){0,2}$/);
  });
});

describe('response_format json_schema', () => {
  const schema = SCHEMAS['nested'];
  const body = { messages: user('Solve 8x + 7 = -23'), response_format: jsonSchema(schema) };

  test('the content is compact JSON valid against the schema, with the usual message and finish_reason', () => {
    const r = chat(body);
    const [choice] = r['choices'];
    assert.deepEqual(Object.keys(choice.message), ['role', 'content', 'refusal', 'annotations']);
    const value = JSON.parse(choice.message.content);
    assert.deepEqual(validate(value, schema), []);
    assert.equal(choice.message.content, JSON.stringify(value));
    assert.equal(choice.finish_reason, 'stop');
  });

  test('deterministic: the same body gives the same content, another question another one', () => {
    assert.equal(chat(body)['choices'][0].message.content, chat(structuredClone(body))['choices'][0].message.content);
    assert.notEqual(chat(body)['choices'][0].message.content, chat({ ...body, messages: user('Solve 2x = 4') })['choices'][0].message.content);
  });

  test('usage: completion tokens are the content\'s tokens; the schema adds to the prompt', () => {
    const r = chat(body);
    const tok = tokenizer('o200k_base');
    assert.equal(r['usage'].completion_tokens, tok.encode(r['choices'][0].message.content).length);
    const plain = chat({ messages: body.messages })['usage'].prompt_tokens;
    assert.equal(r['usage'].prompt_tokens, plain + tok.count(JSON.stringify(schema)));
  });

  test('max_tokens cuts the JSON with finish_reason "length", as the service does', () => {
    const r = chat({ ...body, max_tokens: 5 });
    const [choice] = r['choices'];
    assert.equal(choice.finish_reason, 'length');
    assert.equal(r['usage'].completion_tokens, 5);
    assert.ok(JSON.parse(chat(body)['choices'][0].message.content) !== undefined);
    assert.ok(chat(body)['choices'][0].message.content.startsWith(choice.message.content));
    assert.throws(() => JSON.parse(choice.message.content));
  });

  test('streamed deltas concatenate to the plain answer\'s content', () => {
    const chunks = [...sim.chatStream({ ...body, stream: true }, ctx)] as Json[];
    const text = chunks.flatMap((c) => c['choices']).map((c: Json) => c.delta?.content ?? '').join('');
    assert.equal(text, chat(body)['choices'][0].message.content);
    assert.ok(chunks.length > 10, 'one chunk per token');
  });

  test('non-ASCII enum values stream as whole characters', () => {
    const s = strictObject({ city: { type: 'string', enum: ['東京都', 'Zürich'] } });
    const b = { messages: user('where?'), response_format: jsonSchema(s), n: 8 };
    const plain = chat(b)['choices'].map((c: Json) => c.message.content);
    const chunks = [...sim.chatStream({ ...b, stream: true }, ctx)] as Json[];
    const streamed = plain.map((_: string, i: number) =>
      chunks.flatMap((c) => c['choices']).filter((c: Json) => c.index === i).map((c: Json) => c.delta?.content ?? '').join(''),
    );
    assert.deepEqual(streamed, plain);
    for (const c of chunks.flatMap((c) => c['choices'])) assert.ok(!String(c.delta?.content ?? '').includes('\uFFFD'));
    assert.ok(plain.some((p: string) => p.includes('東京都')));
  });

  test('a schema without strict may leave out optional properties and need not close its objects', () => {
    const loose = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'object', properties: { c: { type: 'integer' } } } }, required: ['a'] };
    const value = JSON.parse(chat({ messages: user('x'), response_format: jsonSchema(loose, false) })['choices'][0].message.content);
    assert.deepEqual(validate(value, loose), []);
  });
});

describe('response_format json_object', () => {
  test('the content is a JSON object', () => {
    const r = chat({ messages: user('Answer in JSON please'), response_format: { type: 'json_object' } });
    const value = JSON.parse(r['choices'][0].message.content);
    assert.equal(typeof value, 'object');
    assert.ok(value !== null && !Array.isArray(value) && Object.keys(value).length > 0);
  });

  test("without the word 'json' in the messages: OpenAI's 400", () => {
    assert.deepEqual(refusal({ messages: user('Answer please'), response_format: { type: 'json_object' } }), {
      message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      param: 'messages',
      code: null,
    });
  });

  test('type text is plain prose', () => {
    const plain = chat({ messages: user('hi') })['choices'][0].message.content;
    assert.equal(chat({ messages: user('hi'), response_format: { type: 'text' } })['choices'][0].message.content, plain);
  });
});

describe('response_format refusals (OpenAI\'s wording)', () => {
  const cases: [string, unknown, { message: string; param: string | null; code: string | null }][] = [
    ['a string', 'json', { message: "Invalid type for 'response_format': expected an object, but got a string instead.", param: 'response_format', code: 'invalid_type' }],
    ['no type', {}, { message: "Missing required parameter: 'response_format.type'.", param: 'response_format.type', code: 'missing_required_parameter' }],
    [
      'an unknown type',
      { type: 'bogus' },
      { message: "Invalid value: 'bogus'. Supported values are: 'json_object', 'json_schema', and 'text'.", param: 'response_format.type', code: 'invalid_value' },
    ],
    [
      'no json_schema',
      { type: 'json_schema' },
      { message: "Missing required parameter: 'response_format.json_schema'.", param: 'response_format.json_schema', code: 'missing_required_parameter' },
    ],
    [
      'no name',
      { type: 'json_schema', json_schema: {} },
      { message: "Missing required parameter: 'response_format.json_schema.name'.", param: 'response_format.json_schema.name', code: 'missing_required_parameter' },
    ],
    [
      'a name with a space',
      { type: 'json_schema', json_schema: { name: 'my answer' } },
      {
        message: "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
        param: 'response_format.json_schema.name',
        code: 'invalid_value',
      },
    ],
    [
      'strict, additionalProperties missing at the root',
      jsonSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, true, 'IntentAnalysis'),
      {
        message: "Invalid schema for response_format 'IntentAnalysis': In context=(), 'additionalProperties' is required to be supplied and to be false.",
        param: 'response_format',
        code: 'invalid_json_schema',
      },
    ],
    [
      'strict, a property not required, in array items',
      jsonSchema(strictObject({ columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, alternatives: { type: 'string' } }, required: ['name'], additionalProperties: false } } })),
      {
        message:
          "Invalid schema for response_format 'answer': In context=('properties', 'columns', 'items'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'alternatives'.",
        param: 'response_format',
        code: 'invalid_json_schema',
      },
    ],
    [
      'strict, a property without a type',
      jsonSchema(strictObject({ blockedReason: {} })),
      {
        message: "Invalid schema for response_format 'answer': In context=('properties', 'blockedReason'), schema must have a 'type' key.",
        param: 'response_format',
        code: 'invalid_json_schema',
      },
    ],
    [
      'strict, a fault inside $defs',
      jsonSchema(strictObject({ a: { $ref: '#/$defs/A' } }, { $defs: { A: { type: 'object', properties: {} } } })),
      {
        message: "Invalid schema for response_format 'answer': In context=('$defs', 'A'), 'additionalProperties' is required to be supplied and to be false.",
        param: 'response_format',
        code: 'invalid_json_schema',
      },
    ],
    [
      'strict, an array at the root',
      jsonSchema({ type: 'array', items: { type: 'string' } }),
      {
        message: `Invalid schema for response_format 'answer': schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`,
        param: 'response_format',
        code: 'invalid_json_schema',
      },
    ],
  ];
  for (const [name, format, expected] of cases) {
    test(name, () => assert.deepEqual(refusal({ messages: user('x'), response_format: format }), expected));
  }

  test('the context is printed as a Python tuple', () => {
    assert.equal(pythonTuple([]), '()');
    assert.equal(pythonTuple(['items']), "('items',)");
    assert.equal(pythonTuple(['properties', 'a', 'anyOf', 0]), "('properties', 'a', 'anyOf', 0)");
    assert.equal(pythonTuple(["it's"]), `("it's",)`);
  });
});
