/*
 * The benchmarks' Azure-shaped set-up, made through the `keyless` CLI as a
 * user would: a group, an OpenAI account with the given deployments, and a
 * web app whose system-assigned identity has "Cognitive Services OpenAI User"
 * on the account; then key1 and a managed identity token for the account,
 * fetched from the App Service endpoint as the app itself would.
 */
import type http from 'node:http';
import { send, type Response } from './load.js';
import { keylessCli, keylessJson, onLoopbackV4 } from './processes.js';

const COGNITIVE_SERVICES = 'https://cognitiveservices.azure.com';

export interface BenchAccount {
  /** The account as ARM shows it (`properties.endpoint`, `id`). */
  readonly account: Record<string, any>;
  readonly key1: string;
  /** A managed identity's access token for Cognitive Services. */
  readonly token: string;
  /** The App Service identity endpoint's token URL and its secret header. */
  readonly identityUrl: string;
  readonly identityHeader: string;
  /** The identity endpoint's answer (the data-plane benchmark serves it from a bare baseline). */
  readonly identity: Response;
}

/** `deployments`: per deployment, the arguments of `openai deployment create` after the account's. */
export async function setUpAccount(dataDir: string, deployments: readonly (readonly string[])[], agent: http.Agent): Promise<BenchAccount> {
  const cli = (...args: string[]): Promise<Record<string, any>> => keylessJson(dataDir, args);
  await cli('group', 'create', '-n', 'bench');
  const account = await cli('openai', 'create', '-g', 'bench', '-n', 'bench-openai');
  for (const args of deployments) await cli('openai', 'deployment', 'create', '-g', 'bench', '-n', 'bench-openai', ...args);
  const app = await cli('webapp', 'create', '-g', 'bench', '-n', 'bench-app', '--assign-identity', 'system');
  await cli('role', 'assignment', 'create', '--assignee', String(app['identity']?.principalId), '--role', 'Cognitive Services OpenAI User', '--scope', String(account['id']));
  const keys = await cli('openai', 'keys', 'list', '-g', 'bench', '-n', 'bench-openai');
  const envLines = await keylessCli(dataDir, ['env', '--as', 'bench-app', '-g', 'bench']);
  const envVar = (name: string): string => {
    const raw = new RegExp(`^export ${name}=(.*)$`, 'm').exec(envLines)?.[1];
    if (raw === undefined) throw new Error(`keyless env printed no ${name}:\n${envLines}`);
    return raw.startsWith("'") ? raw.slice(1, -1).replace(/'\\''/g, "'") : raw;
  };
  const identityHeader = envVar('IDENTITY_HEADER');
  const identityUrl = `${onLoopbackV4(envVar('IDENTITY_ENDPOINT'))}?api-version=2019-08-01&resource=${COGNITIVE_SERVICES}`;
  const identity = await send(identityUrl, { method: 'GET', headers: { 'x-identity-header': identityHeader }, agent });
  if (identity.status !== 200) throw new Error(`identity endpoint answered ${identity.status}: ${identity.body.toString()}`);
  const token = String((JSON.parse(identity.body.toString()) as Record<string, unknown>)['access_token']);
  return { account, key1: String(keys['key1']), token, identityUrl, identityHeader, identity };
}
