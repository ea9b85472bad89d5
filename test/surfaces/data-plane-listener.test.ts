import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/surfaces/http/server.js';
import { dataPlaneListener } from '../../src/surfaces/openai/listener.js';
import type { DataPlane, DataPlaneAnswer, DataPlaneCall } from '../../src/surfaces/openai/data-plane.js';

/**
 * The data plane's HTTP adapter when the data plane itself fails: in
 * process, on plain HTTP on loopback, with a stand-in for DataPlane whose
 * answer each test chooses. Whatever fails, the client gets an answer or a
 * cut connection, never a hang, and the server keeps serving.
 */
let app: FastifyInstance;
let base: string;
let next: (call: DataPlaneCall) => DataPlaneAnswer | Promise<DataPlaneAnswer>;

before(async () => {
  const stand = { handle: (call: DataPlaneCall) => next(call) } as unknown as DataPlane;
  app = createServer({ logLevel: 'silent', intercept: dataPlaneListener(stand) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/accounts/a/openai/deployments/d/chat/completions?api-version=1`;
});
after(async () => {
  await app.close();
});

function post(): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(base, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (e) => resolve({ error: e.message }));
      res.on('aborted', () => resolve({ error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end('{}');
  });
}

const INTERNAL = { error: { code: 'InternalServerError', message: 'The server had an error while processing your request.' } };

describe('data-plane listener failures', () => {
  test('the data plane throws: 500 in the OpenAI dialect', async () => {
    next = () => {
      throw new Error('boom');
    };
    const res = await post();
    assert.ok('status' in res);
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.text), INTERNAL);
  });

  test('the data plane rejects later (simulated latency): 500', async () => {
    next = () => Promise.reject(new Error('late boom'));
    const res = await post();
    assert.ok('status' in res);
    assert.equal(res.status, 500);
  });

  test('a stream fails after its first event: the response is cut, the server keeps serving', async () => {
    next = () => ({
      status: 200,
      events: (function* () {
        yield { id: 'x' };
        throw new Error('stream boom');
      })(),
    });
    const cut = await post();
    assert.ok('error' in cut || !cut.text.includes('[DONE]'), JSON.stringify(cut));
    next = () => ({ status: 200, json: '{"ok":true}' });
    const ok = await post();
    assert.deepEqual(ok, { status: 200, text: '{"ok":true}' });
  });

  test('a stream fails before its first event: the status line is out already, so the response is cut too', async () => {
    next = () => ({
      status: 200,
      events: {
        [Symbol.iterator]: () => ({
          next: () => {
            throw new Error('at once');
          },
        }),
      },
    });
    const cut = await post();
    assert.ok('error' in cut || !cut.text.includes('[DONE]'), JSON.stringify(cut));
  });
});
