import type { Resource } from '../../resources/index.js';
import { RelayStreamError, type OnCallerGone, type Upstream, type UpstreamRelay, type UpstreamService } from '../../upstreams/index.js';
import { StreamUsageMeter, usageOfBody, type Usage } from '../../models/index.js';
import type { Operation } from './operations.js';
import { dataPlaneErrors } from './errors.js';

/** Where each relayed operation goes under the upstream's base URL. */
const UPSTREAM_PATHS: Readonly<Record<string, string>> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  responses: '/responses',
};

/** An upstream's answer, as the data plane hands it to the listener. */
export type RelayedAnswer =
  | { readonly status: number; readonly json: string; readonly headers?: Readonly<Record<string, string | number>> | undefined }
  | {
      readonly status: number;
      readonly bytes: AsyncIterable<Buffer>;
      readonly contentType: string;
      readonly abort: () => void;
      readonly headers?: Readonly<Record<string, string | number>> | undefined;
    };

/**
 * What the call spent, once its answer is over: undefined when nothing was
 * (a refused body, an upstream that failed), with what happened instead.
 */
export type UsageSink = (usage: Usage | undefined, outcome?: string) => void;

/**
 * Forwards one allowed call to the deployment's upstream: the caller's body
 * with `model` replaced by the upstream's model name, Keyless's own key for
 * the upstream, nothing of the caller's credentials. Failures become Azure's
 * 502/504 naming the deployment, never the upstream's address.
 */
export async function forwardToUpstream(
  relay: UpstreamRelay,
  upstreams: UpstreamService,
  upstream: Upstream,
  deployment: Resource,
  kind: Operation['kind'],
  body: Readonly<Record<string, unknown>>,
  modelName: string,
  promptTokens: () => number,
  spent: UsageSink,
  onCallerGone: OnCallerGone,
): Promise<RelayedAnswer> {
  const stream = kind !== 'embeddings' && body['stream'] === true;
  const path = UPSTREAM_PATHS[kind];
  // Only inference reaches here (the data plane answers the catalog and refuses the rest itself).
  if (path === undefined) throw dataPlaneErrors.resourceNotFound(`Keyless does not relay ${kind}`);
  const call = relay.post(upstream, path, JSON.stringify({ ...body, model: upstream.model }), upstreams.keyOf(upstream), stream, onCallerGone);
  const outcome = await call.outcome;
  switch (outcome.kind) {
    case 'failed':
      spent(undefined, outcome.failure === 'callerGone' ? 'the caller went away' : `upstream failed: ${outcome.failure}`);
      throw dataPlaneErrors.upstreamFailed(deployment.name, outcome.failure);
    case 'json':
      spent(outcome.status < 300 ? usageOfBody(outcome.text) : undefined);
      return { status: outcome.status, json: outcome.text, headers: outcome.headers };
    case 'stream':
      // A stream cut by the upstream is noted when it ends (RelayStreamError).
      return { status: outcome.status, contentType: outcome.contentType, bytes: metered(outcome.body, new StreamUsageMeter(modelName, promptTokens), spent), abort: call.abort };
  }
}

/** The relayed bytes, each passed on before it is looked at; what was spent is known when the stream ends, however it ends. */
async function* metered(body: AsyncIterable<Buffer>, meter: StreamUsageMeter, spent: UsageSink): AsyncGenerator<Buffer> {
  let outcome: string | undefined;
  try {
    for await (const chunk of body) {
      yield chunk;
      meter.bytes(chunk);
    }
  } catch (error) {
    if (!(error instanceof RelayStreamError)) outcome = 'stream cut';
    else outcome = error.failure === 'callerGone' ? 'the caller went away' : `upstream stream cut: ${error.failure}`;
    throw error;
  } finally {
    // After the caller's response has ended: counting may load a tokenizer, which must not hold up the last bytes.
    setImmediate(() => spent(meter.result(), outcome));
  }
}
