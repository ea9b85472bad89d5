/**
 * An upstream: the OpenAI-compatible server that answers a deployment in
 * place of the built-in simulator. Keyed by the deployment's key (its
 * lowercased ARM id); it lives and dies with the deployment.
 */
export interface Upstream {
  readonly deploymentKey: string;
  /** The base URL (`https://host:port/v1`), without a trailing slash. */
  readonly url: string;
  /** The model name sent upstream in place of the deployment's. */
  readonly model: string;
  /** The upstream's API key, sealed under the KEK; null when the upstream takes none. */
  readonly sealedKey: string | null;
  /** For the whole answer. */
  readonly timeoutMs: number;
  /** Until the upstream's response headers. */
  readonly firstByteTimeoutMs: number;
  readonly updatedAt: string;
}

/** What the control plane shows of an upstream: never the key, only whether there is one. */
export interface UpstreamView {
  readonly url: string;
  readonly model: string;
  readonly hasKey: boolean;
  readonly timeoutSeconds: number;
  readonly firstByteTimeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 600;
export const DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS = 60;

export function viewOf(upstream: Upstream): UpstreamView {
  return {
    url: upstream.url,
    model: upstream.model,
    hasKey: upstream.sealedKey !== null,
    timeoutSeconds: upstream.timeoutMs / 1000,
    firstByteTimeoutSeconds: upstream.firstByteTimeoutMs / 1000,
  };
}
