import { FENCED_RETRY_AFTER_SECONDS } from '../http/index.js';
import { ModelInputError } from '../../models/index.js';
import type { RelayFailure } from '../../upstreams/index.js';
import type { Admission, QuotaLimits } from '../../quotas/index.js';
import type { DenialExplanation } from '../../audit/index.js';
import { addQuotaHeaders, retryAfterSeconds, type HeaderRecord } from './quota-headers.js';

/**
 * Azure OpenAI's three error shapes: Azure's envelope `{"error":{"code","message"}}`,
 * the token middleware's `{"statusCode","message"}`, and OpenAI's own
 * `{"error":{"message","type","param","code"}}` for a request the model refuses.
 */
type Shape =
  | { readonly kind: 'azure'; readonly code: string; readonly message: string }
  | { readonly kind: 'token'; readonly message: string }
  | { readonly kind: 'openai'; readonly message: string; readonly param: string | null; readonly code: string | null }
  | { readonly kind: 'throttled'; readonly message: string }
  /** OpenAI's envelope as Azure's model servers write a failure: type `server_error`, no code. */
  | { readonly kind: 'server'; readonly message: string }
  /** The content filter's refusal of a prompt: OpenAI's envelope plus Azure's `status` and `innererror`. */
  | { readonly kind: 'contentFilter'; readonly message: string; readonly result: unknown }
  /** Azure's envelope as Azure's network gateway writes it: a space after `"message":` (its Content-Length counts it). */
  | { readonly kind: 'gateway'; readonly code: string; readonly message: string };

/**
 * A data-plane answer in Azure OpenAI's exact words (azure-behaviour.md §1).
 * Not a fastify error: the data plane answers on node's own response (listener.ts).
 */
export class DataPlaneError extends Error {
  constructor(
    readonly status: number,
    private readonly shape: Shape,
    /** Why, for the audit only: never sent. */
    readonly reason: string,
    /** Headers the answer carries (a 429's retry-after and rate-limit counts). */
    readonly headers?: Readonly<HeaderRecord>,
  ) {
    super(reason);
  }

  /** A denial's explanation and fix, for the audit only: never sent. Set on the refusal's path only. */
  explained: DenialExplanation | undefined;

  /** Attaches the explanation and fix the audit record will carry; returns the error, for `throw …explain(…)`. */
  explain(explained: DenialExplanation): this {
    this.explained = explained;
    return this;
  }

  /** The only place the data plane's error bodies are built; byte-for-byte Azure's once serialised. */
  body(): Record<string, unknown> {
    const s = this.shape;
    switch (s.kind) {
      case 'azure':
        return { error: { code: s.code, message: s.message } };
      case 'token':
        return { statusCode: this.status, message: s.message };
      case 'openai':
        return { error: { message: s.message, type: 'invalid_request_error', param: s.param, code: s.code } };
      case 'throttled':
        return { error: { message: s.message, type: 'too_many_requests', code: '429' } };
      case 'gateway':
        return { error: { code: s.code, message: s.message } };
      case 'server':
        return { error: { message: s.message, type: 'server_error', param: null, code: null } };
      case 'contentFilter':
        return {
          error: {
            message: s.message, type: null, param: 'prompt', code: 'content_filter', status: 400,
            innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: s.result },
          },
        };
    }
  }

  /** The body as sent, byte for byte. */
  serialised(): string {
    const s = this.shape;
    return s.kind === 'gateway' ? `{"error":{"code":${JSON.stringify(s.code)},"message": ${JSON.stringify(s.message)}}}` : JSON.stringify(this.body());
  }
}

const KEY_MESSAGE =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** Azure's operation ids, as its 429 message names them ("Requests to the ChatCompletions_Create Operation …"). */
export const RATE_LIMITED_OPERATIONS = {
  chat: 'ChatCompletions_Create',
  completions: 'Completions_Create',
  embeddings: 'Embeddings_Create',
  responses: 'Responses_Create',
} as const;

type Refusal = Extract<Admission, { allowed: false }>;

/**
 * Azure's 429 for a deployment over its quota. With an api-version (the classic
 * routes) the message names it, in Azure's envelope; the v1 API has none, and its
 * answer is OpenAI's envelope with type `too_many_requests` (docs/compatibility.md).
 */
function rateLimited(refusal: Refusal, limits: QuotaLimits, operation: string, apiVersion: string | undefined, accountKind: string): DataPlaneError {
  const seconds = retryAfterSeconds(refusal.retryAfterMs);
  const shape = rateLimitShape(refusal.exceeded === 'tokens' ? 'token' : 'call', seconds, operation, apiVersion, accountKind);
  const reason = `over the deployment's ${refusal.exceeded === 'tokens' ? 'tokens' : 'requests'} per minute; retry after ${refusal.retryAfterMs} ms`;
  return new DataPlaneError(429, shape, reason, addQuotaHeaders({}, refusal, limits));
}

/** An injected 429 (`keyless fault add --status 429 [--retry-after S]`): the call-rate answer, with its retry hints. */
function injectedRateLimit(seconds: number, operation: string, apiVersion: string | undefined, accountKind: string, reason: string): DataPlaneError {
  const shape = rateLimitShape('call', seconds, operation, apiVersion, accountKind);
  return new DataPlaneError(429, shape, reason, { 'retry-after': seconds, 'retry-after-ms': seconds * 1000 });
}

function rateLimitShape(limit: 'token' | 'call', seconds: number, operation: string, apiVersion: string | undefined, accountKind: string): Shape {
  const api = apiVersion === undefined ? 'Azure OpenAI API' : `Azure OpenAI API version ${apiVersion}`;
  const increase =
    accountKind === 'AIServices'
      ? 'Please contact Azure support service if you would like to further increase the default rate limit.'
      : 'Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.';
  const message =
    `Requests to the ${operation} Operation under ${api} have exceeded ${limit} rate limit ` +
    `of your current ${accountKind} S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. ${increase}`;
  return apiVersion === undefined ? { kind: 'throttled', message } : { kind: 'azure', code: '429', message };
}

/** The header Azure's gateway adds to a network refusal (Azure-Samples/azure-sql-db-chatbot#3 and others). */
const TRAFFIC_DENIED: Readonly<HeaderRecord> = { 'policy-id': 'ThrowExceptionDueToTrafficDenied' };

/** The words of Azure OpenAI's 500 (Azure-Samples/azure-search-openai-demo#1390), naming the request's id. */
const serverErrorMessage = (requestId: string): string =>
  `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if the error persists. (Please include the request ID ${requestId} in your message.)`;

/** The content filter's 400 on a prompt (the openai cookbook's Azure examples; openai-python's recorded answers). */
const CONTENT_FILTER_MESSAGE =
  "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766";

const azure = (status: number, code: string, message: string, reason: string) => new DataPlaneError(status, { kind: 'azure', code, message }, reason);

/** The data plane's catalogue. */
export const dataPlaneErrors = {
  /** A wrong or missing api-key (and no credential at all: Keyless's choice, see docs/compatibility.md). */
  invalidKey: (reason: string) => azure(401, '401', KEY_MESSAGE, reason),
  invalidToken: (reason: string) =>
    new DataPlaneError(
      401,
      { kind: 'token', message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' },
      reason,
    ),
  permissionDenied: (principalId: string, dataAction: string, operation: string, reason: string) =>
    azure(401, 'PermissionDenied', `The principal \`${principalId}\` lacks the required data action \`${dataAction}\` to perform \`${operation}\` operation.`, reason),
  localAuthDisabled: () =>
    azure(403, 'AuthenticationTypeDisabled', 'Key based authentication is disabled for this resource.', 'key sent while local auth is disabled'),
  resourceNotFound: (reason: string) => azure(404, '404', 'Resource not found', reason),
  deploymentNotFound: () =>
    azure(
      404,
      'DeploymentNotFound',
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      'unknown deployment',
    ),
  invalidRequest: (message: string, param: string | null, code: string | null) =>
    new DataPlaneError(400, { kind: 'openai', message, param, code }, 'invalid request body'),
  /** Azure's answer for an operation the deployment's model cannot do (e.g. chat on an embeddings model). */
  operationNotSupported: (operation: string, model: string) =>
    azure(
      400,
      'OperationNotSupported',
      `The ${operation} operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
      `the model ${model} does not serve ${operation}`,
    ),
  /** A dated api-version on the v1 API (or an unknown value there). */
  apiVersionNotSupported: () => azure(400, 'BadRequest', 'API version not supported', 'unsupported api-version'),
  /** The Responses API answers in OpenAI's shape: an id this account does not hold. */
  responseNotFound: (id: string) =>
    new DataPlaneError(404, { kind: 'openai', message: `Response with id '${id}' not found.`, param: null, code: null }, 'unknown response'),
  rateLimited,
  injectedRateLimit,
  /** An injected 500 (`keyless fault add --status 500`), as Azure's model servers answer it. */
  serverError: (requestId: string, reason: string, headers?: Readonly<HeaderRecord>) =>
    new DataPlaneError(500, { kind: 'server', message: serverErrorMessage(requestId) }, reason, headers),
  /** An injected 503: the words Azure's gateway uses when the service cannot take the request. */
  serviceUnavailable: (reason: string, headers?: Readonly<HeaderRecord>) =>
    new DataPlaneError(503, { kind: 'azure', code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' }, reason, headers),
  /** The content filter refused the prompt (`keyless fault add --content-filter prompt`). */
  contentFilteredPrompt: (result: unknown, reason: string) => new DataPlaneError(400, { kind: 'contentFilter', message: CONTENT_FILTER_MESSAGE, result }, reason),
  internal: () => azure(500, 'InternalServerError', 'The server had an error while processing your request.', 'internal error'),
  /** This instance has fenced itself (it cannot confirm its state is current): Azure's 503, which the SDKs retry. */
  instanceFenced: () =>
    new DataPlaneError(
      503,
      { kind: 'azure', code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' },
      'instance fenced',
      { 'retry-after': FENCED_RETRY_AFTER_SECONDS },
    ),
  /**
   * The account's publicNetworkAccess is Disabled (and Keyless has no private
   * endpoints). Azure's words and bytes: rcarrat-AI/aro-azureopenai-secure-baseline
   * (a curl transcript), Azure/jpazpaas (Microsoft support, AI Search to Azure
   * OpenAI). Older reports show the code `AccessDenied` for the same message.
   */
  publicAccessDisabled: (reason: string) =>
    new DataPlaneError(403, { kind: 'gateway', code: '403', message: 'Public access is disabled. Please configure private endpoint.' }, reason, TRAFFIC_DENIED),
  /**
   * The caller's address matches no ipRule and defaultAction is Deny. Azure's
   * words and bytes: Azure-Samples/azure-sql-db-chatbot#3 (the body with its
   * Content-Length, 90, and `policy-id`), Azure/jpazpaas.
   */
  firewallDenied: (reason: string) =>
    new DataPlaneError(403, { kind: 'gateway', code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' }, reason, TRAFFIC_DENIED),
  /** Headers over node's limit (an `api-key` of a megabyte, say): Keyless's wording in Azure's envelope, before any route. */
  headersTooLarge: (limit: number) => azure(431, '431', `Request header fields too large: the request headers may total at most ${limit} bytes.`, 'headers too large'),
  /** The deployment's upstream gave no usable answer: named by the deployment, never by the upstream's address. */
  upstreamFailed: (deployment: string, failure: RelayFailure) =>
    failure === 'timeout' || failure === 'firstByteTimeout'
      ? azure(504, 'GatewayTimeout', `The model server of deployment '${deployment}' did not answer in time. Please retry later.`, `upstream ${failure}`)
      : azure(502, 'BadGateway', `The model server of deployment '${deployment}' did not give a valid answer. Please retry later.`, `upstream ${failure}`),
};

/** The one mapping into the data plane: its own errors, and the model's refusal of a request (OpenAI's shape). Anything else is a 500. */
export function toDataPlaneError(error: unknown): DataPlaneError | undefined {
  if (error instanceof DataPlaneError) return error;
  if (error instanceof ModelInputError) return dataPlaneErrors.invalidRequest(error.message, error.param, error.openaiCode);
  return undefined;
}
