/**
 * An application or workload signing in with @azure/identity, unmodified
 * apart from being pointed at Keyless, then calling a deployment with the
 * openai package. Prints one JSON object of what happened.
 *
 * KEYLESS_CRED: secret | certificate | certificate-chain | default | workload
 * KEYLESS_URL (authority host), KEYLESS_TENANT, KEYLESS_CLIENT_ID, KEYLESS_SECRET, KEYLESS_CERT_FILE,
 * KEYLESS_SCOPES (comma list, default the Cognitive Services scope), KEYLESS_ENDPOINT + KEYLESS_DEPLOYMENT (optional chat).
 */
import { nonLoopback } from './loopback-guard.js';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
  getBearerTokenProvider,
  type TokenCredential,
} from '@azure/identity';
import { AzureOpenAI } from 'openai';

const env = (name: string): string => process.env[name] ?? '';
const COGNITIVE = 'https://cognitiveservices.azure.com/.default';
const authority = { authorityHost: env('KEYLESS_URL'), disableInstanceDiscovery: true };

function credential(): TokenCredential {
  switch (env('KEYLESS_CRED')) {
    case 'secret':
      return new ClientSecretCredential(env('KEYLESS_TENANT'), env('KEYLESS_CLIENT_ID'), env('KEYLESS_SECRET'), authority);
    case 'certificate':
    case 'certificate-chain':
      return new ClientCertificateCredential(env('KEYLESS_TENANT'), env('KEYLESS_CLIENT_ID'), { certificatePath: env('KEYLESS_CERT_FILE') }, {
        ...authority,
        sendCertificateChain: env('KEYLESS_CRED') === 'certificate-chain',
      });
    case 'workload':
      // Unmodified: everything comes from the variables `keyless run --as-workload` sets.
      return new WorkloadIdentityCredential();
    default:
      return new DefaultAzureCredential();
  }
}

const decode = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const failure = (error: unknown) => {
  const e = error as { name?: string; message?: string; status?: number; error?: unknown };
  return e.status !== undefined ? { status: e.status, error: e.error } : { name: e.name, message: e.message };
};

const result: Record<string, unknown> = {};
const cred = credential();
const tokens: unknown[] = [];
for (const scope of (env('KEYLESS_SCOPES') || COGNITIVE).split(',')) {
  try {
    const token = await cred.getToken(scope);
    tokens.push({ scope, claims: decode(token?.token ?? '') });
  } catch (error) {
    tokens.push({ scope, failed: failure(error) });
  }
}
result['tokens'] = tokens;
if (env('KEYLESS_ENDPOINT')) {
  try {
    const client = new AzureOpenAI({
      endpoint: env('KEYLESS_ENDPOINT'),
      apiVersion: '2024-10-21',
      azureADTokenProvider: getBearerTokenProvider(cred, COGNITIVE),
      maxRetries: 0,
    });
    const chat = await client.chat.completions.create({ model: env('KEYLESS_DEPLOYMENT'), messages: [{ role: 'user', content: 'Hello from an app' }] });
    result['chat'] = { content: chat.choices[0]?.message.content };
  } catch (error) {
    result['chat'] = { failed: failure(error) };
  }
}
result['nonLoopback'] = nonLoopback;
process.stdout.write(JSON.stringify(result));
