import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from '../../resources/model.js';
import type { RoleAssignmentService } from '../../rbac/assignments.js';
import type { AuditLog } from '../../audit/log.js';
import type { AuditRecord } from '../../audit/model.js';
import { ModelInputError, type ModelBackend, type CallContext } from '../../models/index.js';
import type { AccountIndex } from './accounts.js';
import { authenticate, type AuthenticateDeps, type Caller } from './authenticate.js';
import { DataPlaneError, dataPlaneErrors } from './errors.js';
import { DEPLOYMENT_OPERATIONS, V1_OPERATIONS, type Operation } from './operations.js';
import { CREATED_MARK, ID_MARK, ResponseCache, fill } from './response-cache.js';

/** The request body as received, kept by the JSON parser for the response cache's key. */
const rawBodies = new WeakMap<object, string>();

export interface DataPlaneDeps extends AuthenticateDeps {
  readonly accounts: AccountIndex;
  readonly rbac: RoleAssignmentService;
  readonly model: ModelBackend;
  readonly audit: AuditLog;
}

interface Params {
  account: string;
  deployment?: string;
}

/**
 * The Azure OpenAI data plane at each account's endpoint. Steps: account →
 * api-version → authenticate (key or token) → authorize the data action at
 * the account's scope → deployment → model → response; every decision is
 * audited off the hot path, and the reason of a denial never reaches the body.
 */
export function registerDataPlaneRoutes(app: FastifyInstance, deps: DataPlaneDeps): void {
  const responses = new ResponseCache();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (request, body, done) => {
    try {
      rawBodies.set(request, body as string);
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const e = error as { statusCode?: number; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return send(reply, request, dataPlaneErrors.invalidRequest(`We could not parse the JSON body of your request. (${e.message ?? 'invalid body'})`, null, null));
    }
    request.log.error({ err: error }, 'unhandled data-plane error');
    return reply.code(500).send({ error: { code: 'InternalServerError', message: 'The server had an error while processing your request.' } });
  });

  /** Managed identities and applications are both service principals; the audit tells them apart. */
  const principalType = (objectId: string): string => {
    const kind = deps.directory.principal(objectId)?.kind;
    return kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity';
  };

  for (const [path, operation] of Object.entries(DEPLOYMENT_OPERATIONS)) {
    app.post(`/accounts/:account/openai/deployments/:deployment/${path}`, (request, reply) => handle(request, reply, operation, false));
  }
  for (const [path, operation] of Object.entries(V1_OPERATIONS)) {
    app.post(`/accounts/:account/openai/v1/${path}`, (request, reply) => handle(request, reply, operation, true));
  }

  async function handle(request: FastifyRequest, reply: FastifyReply, operation: Operation, v1: boolean): Promise<unknown> {
    const params = request.params as Params;
    const requestId = request.id;
    reply.header('x-request-id', requestId).header('apim-request-id', requestId);
    const account = deps.accounts.get(params.account);
    let caller: Caller | undefined;
    try {
      if (!account) throw dataPlaneErrors.resourceNotFound('unknown account');
      if (!v1 && (request.query as Record<string, unknown>)['api-version'] === undefined) throw dataPlaneErrors.resourceNotFound('no api-version');
      caller = authenticate(request.headers, account, deps, v1);
      if (caller.kind === 'token') {
        const decision = deps.rbac.authorize(caller.token.objectId, operation.dataAction, 'dataAction', account.id);
        if (!decision.allowed) throw dataPlaneErrors.permissionDenied(caller.token.objectId, operation.dataAction, operation.template, decision.reason);
      }
      const body = (request.body ?? {}) as Record<string, unknown>;
      const deploymentName = v1 ? (typeof body['model'] === 'string' ? body['model'] : '') : (params.deployment ?? '');
      const deployment = deps.accounts.deployment(account, deploymentName);
      if (!deployment) throw dataPlaneErrors.deploymentNotFound();
      deps.audit.record(audit(request, operation, account, caller, principalType, 'allowed', caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action'));
      return await answer(request, reply, operation, deployment, body);
    } catch (error) {
      if (error instanceof ModelInputError) {
        return send(reply, request, dataPlaneErrors.invalidRequest(error.message, error.param, error.openaiCode));
      }
      if (!(error instanceof DataPlaneError)) throw error;
      deps.audit.record(audit(request, operation, account, caller, principalType, 'denied', error.reason));
      return send(reply, request, error);
    }
  }

  async function answer(request: FastifyRequest, reply: FastifyReply, operation: Operation, deployment: Resource, body: Record<string, unknown>) {
    const latency = deployment.properties['simulatedLatencyMs'];
    if (typeof latency === 'number' && latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const modelName = String((deployment.properties['model'] as Record<string, unknown> | undefined)?.['name'] ?? deployment.name);
    const created = Math.floor(Date.now() / 1000);
    const ctx: CallContext = { deployment: deployment.name, modelName, created, id: '' };
    const marked: CallContext = { ...ctx, id: ID_MARK, created: CREATED_MARK };
    const raw = rawBodies.get(request);
    const key = raw === undefined ? undefined : `${deployment.key}\0${modelName}\0${operation.kind}\0${raw}`;
    const cached = (produce: () => unknown, id: string): FastifyReply => {
      const json = key === undefined ? JSON.stringify(produce()) : responses.get(key, produce);
      return reply.type('application/json; charset=utf-8').send(fill(json, id, created));
    };
    switch (operation.kind) {
      case 'embeddings':
        return cached(() => deps.model.embeddings(body, ctx), '');
      case 'chat': {
        const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
        if (body['stream'] === true) return stream(request, reply, deps.model.chatStream(body, { ...ctx, id }));
        return cached(() => deps.model.chat(body, marked), id);
      }
      case 'completions': {
        const id = `cmpl-${randomUUID().replace(/-/g, '')}`;
        if (body['stream'] === true) return stream(request, reply, deps.model.completionStream(body, { ...ctx, id }));
        return cached(() => deps.model.completion(body, marked), id);
      }
    }
  }
}

/** Server-sent events: one `data:` line per chunk, then `data: [DONE]`. */
function stream(request: FastifyRequest, reply: FastifyReply, chunks: Iterable<Record<string, unknown>>): FastifyReply {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': request.id,
    'apim-request-id': request.id,
  });
  for (const chunk of chunks) raw.write(`data: ${JSON.stringify(chunk)}\n\n`);
  raw.end('data: [DONE]\n\n');
  return reply;
}

function send(reply: FastifyReply, request: FastifyRequest, error: DataPlaneError): FastifyReply {
  return reply.code(error.status).header('x-request-id', request.id).header('apim-request-id', request.id).send(error.body);
}

function audit(
  request: FastifyRequest,
  operation: Operation,
  account: Resource | undefined,
  caller: Caller | undefined,
  principalType: (objectId: string) => string,
  decision: 'allowed' | 'denied',
  reason: string,
): AuditRecord {
  return {
    at: new Date().toISOString(),
    surface: 'openai',
    operation: operation.template,
    account: account?.id ?? null,
    principalId: caller?.kind === 'token' ? caller.token.objectId : null,
    principalType: caller?.kind === 'token' ? principalType(caller.token.objectId) : null,
    keyName: caller?.kind === 'key' ? caller.keyName : null,
    decision,
    reason,
    requestId: request.id,
  };
}
