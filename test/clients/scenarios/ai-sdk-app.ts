/**
 * The Vercel AI SDK example of docs/how-to/frameworks.md, as a user runs it
 * under `keyless run`: DefaultAzureCredential, getBearerTokenProvider, and
 * @ai-sdk/azure's tokenProvider, with no key and no CA setting in the code.
 * Prints one JSON object of what happened. KEYLESS_ENDPOINT: the account's
 * endpoint; the deployment is `chat`.
 */
import { nonLoopback } from './loopback-guard.js';
import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import { createAzure } from '@ai-sdk/azure';
import { generateObject, generateText } from 'ai';
import { z } from 'zod';

const azure = createAzure({
  baseURL: `${process.env['KEYLESS_ENDPOINT'] ?? ''}openai/v1`,
  tokenProvider: getBearerTokenProvider(new DefaultAzureCredential(), 'https://cognitiveservices.azure.com/.default'),
});

const result: Record<string, unknown> = {};
try {
  const { text } = await generateText({ model: azure('chat'), prompt: 'Say hello to Keyless.' });
  result['text'] = text;
  const { object } = await generateObject({
    model: azure.responses('chat'),
    schema: z.object({ city: z.string(), population: z.number().int() }),
    prompt: 'A city and its population.',
  });
  result['object'] = object;
} catch (error) {
  const e = error as { name?: string; message?: string; statusCode?: number };
  result['failed'] = { name: e.name, message: e.message, statusCode: e.statusCode };
}
result['nonLoopback'] = nonLoopback;
process.stdout.write(JSON.stringify(result));
