/** Where a fault is injected: the managed identity endpoints (per platform), the token endpoint, the data plane. */
export const FAULT_SURFACES = ['imds', 'app-service', 'token', 'data-plane'] as const;
export type FaultSurface = (typeof FAULT_SURFACES)[number];

/** The HTTP statuses a fault may answer with (410 only on IMDS: its "upgrade in progress"). */
export type FaultStatus = 429 | 500 | 503 | 410;

/** What the surface does instead of (or before) its normal answer; each surface renders it in its own dialect. */
export type FaultEffect =
  | { readonly kind: 'status'; readonly status: FaultStatus; readonly retryAfterSeconds: number | null }
  | { readonly kind: 'delay'; readonly delayMs: number }
  | { readonly kind: 'aadsts'; readonly code: number }
  | { readonly kind: 'contentFilter'; readonly target: 'prompt' | 'completion' }
  | { readonly kind: 'dropConnection' };

/** One injected fault, as stored (and seen by every instance through the change log). */
export interface Fault {
  readonly id: string;
  readonly surface: FaultSurface;
  /** Only calls from this host (a VM or web app name, compared in any case); null: any. */
  readonly host: string | null;
  /** Only this client id (a managed identity's or an application's); null: any. */
  readonly clientId: string | null;
  /** Only this deployment (by name, in any account); null: any. */
  readonly deployment: string | null;
  readonly effect: FaultEffect;
  /** How many answers it injects before it is removed; null: until it expires or is cleared. */
  readonly times: number | null;
  /** ISO time (on the product clock) after which it no longer applies; null: never. */
  readonly expiresAt: string | null;
  readonly createdAt: string;
}

/** How a fault is described in audit records and the CLI: `status 429 (retry-after 1 s)`, `delay 500 ms`, … */
export function describeEffect(effect: FaultEffect): string {
  switch (effect.kind) {
    case 'status':
      return `status ${effect.status}${effect.retryAfterSeconds === null ? '' : ` (retry-after ${effect.retryAfterSeconds} s)`}`;
    case 'delay':
      return `delay ${effect.delayMs} ms`;
    case 'aadsts':
      return `AADSTS${effect.code}`;
    case 'contentFilter':
      return `content filter on the ${effect.target}`;
    case 'dropConnection':
      return 'connection dropped';
  }
}
