/*
 * The audit record the benchmarks' baselines keep per allowed call: what
 * Keyless records for an allowed chat call (src/surfaces/openai/data-plane.ts,
 * its usage recorder), with the deployment and the tokens spent, so that a
 * baseline's durable record costs what Keyless's does.
 */
import type { AuditRecord } from '../src/audit/model.js';
import type { Usage } from '../src/models/index.js';

const ACCOUNT = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench/providers/Microsoft.CognitiveServices/accounts/bench-openai';
/** A managed identity's object id, for a caller with a bearer token. */
const PRINCIPAL = '00000000-0000-0000-0000-000000000001';

/** `caller`: key1 of the account, or a managed identity's token. */
export function allowedCallRecord(caller: 'key' | 'token', requestId: string, usage: Usage | undefined): AuditRecord {
  const key = caller === 'key';
  return {
    at: new Date().toISOString(),
    surface: 'openai',
    operation: 'POST /openai/deployments/{deployment-id}/chat/completions',
    account: ACCOUNT,
    principalId: key ? null : PRINCIPAL,
    principalType: key ? null : 'ManagedIdentity',
    keyName: key ? 'key1' : null,
    decision: 'allowed',
    reason: key ? 'key1 of the account' : 'role grants the data action',
    requestId,
    deployment: 'chat',
    ...(usage === undefined ? {} : { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens }),
  };
}
