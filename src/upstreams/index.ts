// Public surface of the upstreams context: the OpenAI-compatible servers that answer deployments.
export { upstreamEntity } from './entities.js';
export { UpstreamRelay, RelayStreamError, MAX_JSON_BYTES, type OnCallerGone, type RelayCall, type RelayFailure, type RelayOutcome } from './relay.js';
export { UpstreamService } from './service.js';
export { parseUpstreamSpec, type UpstreamSpec } from './spec.js';
export { viewOf, type Upstream, type UpstreamView, DEFAULT_TIMEOUT_SECONDS, DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS } from './model.js';
