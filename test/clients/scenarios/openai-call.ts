/**
 * A user's app, run under `keyless run` (or with hand-set variables): an
 * unmodified credential from @azure/identity and the openai package's
 * AzureOpenAI client. Prints one JSON object of what happened.
 *
 * KEYLESS_ENDPOINT, KEYLESS_DEPLOYMENT, optional KEYLESS_EMBEDDINGS_DEPLOYMENT;
 * KEYLESS_CREDENTIAL: default | managed | key; KEYLESS_MI_CLIENT_ID (managed);
 * KEYLESS_API_KEY (key); KEYLESS_STEPS: comma list of token,chat,stream,embeddings.
 */
import { nonLoopback } from './loopback-guard.js';
import { DefaultAzureCredential, ManagedIdentityCredential, getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { AzureOpenAI } from 'openai';

const env = (name: string): string | undefined => process.env[name];
const SCOPE = 'https://cognitiveservices.azure.com/.default';
const steps = (env('KEYLESS_STEPS') ?? 'chat').split(',');
const result: Record<string, unknown> = {};

function credential(): TokenCredential | undefined {
  switch (env('KEYLESS_CREDENTIAL')) {
    case 'default':
      return new DefaultAzureCredential();
    case 'managed': {
      const clientId = env('KEYLESS_MI_CLIENT_ID');
      return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    }
    default:
      return undefined;
  }
}

const failure = (error: unknown) => {
  const e = error as { status?: number; error?: unknown; name?: string; message?: string; headers?: Headers };
  return e.status !== undefined
    ? { status: e.status, error: e.error, requestId: (e as { requestID?: string }).requestID ?? null }
    : { name: e.name, message: e.message };
};

const cred = credential();
const client = new AzureOpenAI({
  endpoint: env('KEYLESS_ENDPOINT') ?? '',
  apiVersion: '2024-10-21',
  ...(cred ? { azureADTokenProvider: getBearerTokenProvider(cred, SCOPE) } : { apiKey: env('KEYLESS_API_KEY') ?? '' }),
  maxRetries: 0,
});

for (const step of steps) {
  try {
    switch (step) {
      case 'token': {
        const token = await cred?.getToken(SCOPE);
        const payload = JSON.parse(Buffer.from(token?.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        result['token'] = { claims: payload, expiresOnTimestamp: token?.expiresOnTimestamp };
        break;
      }
      case 'chat': {
        const chat = await client.chat.completions.create({
          model: env('KEYLESS_DEPLOYMENT') ?? '',
          messages: [{ role: 'user', content: 'Say hello to Keyless.' }],
        });
        result['chat'] = { content: chat.choices[0]?.message.content, usage: chat.usage, finish: chat.choices[0]?.finish_reason };
        break;
      }
      case 'stream': {
        const stream = await client.chat.completions.create({
          model: env('KEYLESS_DEPLOYMENT') ?? '',
          messages: [{ role: 'user', content: 'Say hello to Keyless.' }],
          stream: true,
        });
        let content = '';
        let chunks = 0;
        for await (const chunk of stream) {
          chunks++;
          content += chunk.choices[0]?.delta?.content ?? '';
        }
        result['stream'] = { content, chunks };
        break;
      }
      case 'embeddings': {
        const embeddings = await client.embeddings.create({ model: env('KEYLESS_EMBEDDINGS_DEPLOYMENT') ?? '', input: ['keyless', 'managed identity'] });
        const vector = embeddings.data[0]?.embedding ?? [];
        result['embeddings'] = {
          count: embeddings.data.length,
          dimensions: vector.length,
          norm: Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)),
          usage: embeddings.usage,
        };
        break;
      }
    }
  } catch (error) {
    result[step] = { failed: failure(error) };
  }
}
result['nonLoopback'] = nonLoopback;
process.stdout.write(JSON.stringify(result));
