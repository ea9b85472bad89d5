import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataPlane, type DataPlaneAnswer, type DataPlaneDeps } from '../../src/surfaces/openai/data-plane.js';
import { DEPLOYMENT_OPERATIONS } from '../../src/surfaces/openai/operations.js';
import { AuditRecorder, type AuditRecord } from '../../src/audit/index.js';
import { MemoryQuotaLimiter } from '../../src/quotas/index.js';
import { ModelInputError, type ModelBackend, type ModelRequest } from '../../src/models/index.js';
import type { Resource } from '../../src/resources/index.js';

// A backend that answers later, as an upstream would: the data plane must wait for it, and map its refusals.
const resource = (key: string, name: string, properties: Record<string, unknown> = {}): Resource => ({
  id: key, key, groupKey: 'g', parentKey: null, type: 't', name, location: 'l', kind: null, sku: null, tags: {}, properties, identity: null, createdAt: '',
});
const account = resource('acct', 'acct');
const deployment = resource('acct/deployments/dep', 'dep', { model: { name: 'gpt-4o' } });

class LaterBackend implements ModelBackend {
  readonly seen: ModelRequest[] = [];
  async chat(request: ModelRequest): Promise<string> {
    this.seen.push(request);
    if (request.body['messages'] === undefined) throw new ModelInputError(null, "'messages' is a required property", 'messages');
    return JSON.stringify({ id: request.ctx.id, upstream: true });
  }
  completion = this.chat;
  embeddings = this.chat;
  async chatStream(request: ModelRequest): Promise<AsyncIterable<Record<string, unknown>>> {
    const id = request.ctx.id;
    return (async function* () {
      yield { id, n: 1 };
      yield { id, n: 2 };
    })();
  }
  completionStream = this.chatStream;
  responses = this.chat;
  responsesStream = this.chatStream;
}

function dataPlane(model: ModelBackend, records: AuditRecord[]): DataPlane {
  const deps = {
    accounts: { get: (name: string) => (name === 'acct' ? account : undefined), deployment: (_: Resource, name: string) => (name === 'dep' ? deployment : undefined) },
    keys: { match: (presented: string) => (presented === 'the-key' ? { accountKey: 'acct', keyName: 'key1' } : undefined) },
    audit: new AuditRecorder({ record: (r) => records.push(r) }, { now: () => 0 }),
    model,
    upstreams: { get: () => undefined },
    quotas: new MemoryQuotaLimiter(),
    now: () => 0,
    fence: { fenced: () => false },
    faults: { take: () => undefined },
  } as unknown as DataPlaneDeps;
  return new DataPlane(deps);
}

const CHAT = DEPLOYMENT_OPERATIONS['chat/completions'];
if (CHAT === undefined) throw new Error('no chat operation');
const chatCall = (body: unknown) => ({
  requestId: 'req', account: 'acct', deployment: 'dep', operation: CHAT, v1: false, hasApiVersion: true, apiVersion: '2024-10-21', onCallerGone: () => undefined,
  headers: { 'api-key': 'the-key' }, body: { kind: 'json' as const, text: JSON.stringify(body) }, remoteAddress: '127.0.0.1',
});

describe('the data plane over an asynchronous backend', () => {
  test('waits for the answer and passes the request as routed', async () => {
    const backend = new LaterBackend();
    const records: AuditRecord[] = [];
    const handled = dataPlane(backend, records).handle(chatCall({ messages: [] }));
    assert.ok(handled instanceof Promise);
    const answer = (await handled) as DataPlaneAnswer & { json: string };
    assert.equal(answer.status, 200);
    const json = JSON.parse(answer.json);
    assert.match(json.id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.equal(json.upstream, true);
    const seen = backend.seen[0];
    assert.equal(seen?.deploymentKey, 'acct/deployments/dep');
    assert.equal(seen?.ctx.modelName, 'gpt-4o');
    assert.equal(seen?.text, '{"messages":[]}');
    assert.deepEqual(records.map((r) => [r.decision, r.keyName, r.at]), [['allowed', 'key1', '1970-01-01T00:00:00.000Z']]);
  });

  test('a rejection with ModelInputError is the same 400 as a thrown one', async () => {
    const answer = (await dataPlane(new LaterBackend(), []).handle(chatCall({}))) as DataPlaneAnswer & { json: string };
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.json).error.param, 'messages');
  });

  test('a stream arriving later is an async iterable of the chunks', async () => {
    const answer = await dataPlane(new LaterBackend(), []).handle(chatCall({ messages: [], stream: true }));
    assert.ok('events' in answer && Symbol.asyncIterator in answer.events);
    const chunks: unknown[] = [];
    for await (const chunk of answer.events as AsyncIterable<Record<string, unknown>>) chunks.push(chunk['n']);
    assert.deepEqual(chunks, [1, 2]);
  });
});
