/** The `--upstream-*` flags of `keyless openai deployment create|update`: where a deployment forwards, and with which key. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { parsePositiveInt } from '../flags.js';
import { UsageError } from '../errors.js';

export interface UpstreamFlags {
  upstreamUrl?: string;
  upstreamModel?: string;
  upstreamKeyFile?: string;
  upstreamKeyEnv?: string;
  upstreamTimeout?: number;
  removeUpstream?: boolean;
}

export function withUpstreamFlags(cmd: Command, update: boolean): Command {
  cmd
    .option('--upstream-url <url>', "an OpenAI-compatible base URL (…/v1) that answers this deployment instead of the simulator")
    .option('--upstream-model <name>', 'the model name sent upstream (default: the deployment\'s model name)')
    .option('--upstream-key-file <file>', "a file holding the upstream's API key (sealed at rest, never shown again)")
    .option('--upstream-key-env <var>', "an environment variable holding the upstream's API key")
    .option('--upstream-timeout <seconds>', 'the longest an upstream answer may take (default 600; 60 to the first byte)', parsePositiveInt);
  if (update) cmd.option('--remove-upstream', 'answer from the built-in simulator again');
  return cmd;
}

/** The upstream's key from --upstream-key-file or --upstream-key-env (never from the command line, where shells keep it). */
export function upstreamKey(o: UpstreamFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (o.upstreamKeyFile !== undefined && o.upstreamKeyEnv !== undefined) throw new UsageError('Give --upstream-key-file or --upstream-key-env, not both.');
  if (o.upstreamKeyFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(o.upstreamKeyFile, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the upstream key file ${o.upstreamKeyFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
    }
    const key = text.trim();
    if (key === '') throw new UsageError(`The upstream key file ${o.upstreamKeyFile} is empty.`);
    return key;
  }
  if (o.upstreamKeyEnv !== undefined) {
    const key = env[o.upstreamKeyEnv]?.trim();
    if (key === undefined || key === '') throw new UsageError(`The environment variable ${o.upstreamKeyEnv} is not set or empty.`);
    return key;
  }
  return undefined;
}

/**
 * `properties.upstream` for a PUT: from the flags, over what the deployment
 * has (`current`, as ARM shows it, without its key). The key is sent only
 * when a flag gives one; the server keeps the stored key while the URL's
 * origin stays the same.
 */
export function upstreamBody(o: UpstreamFlags, current: Json | undefined): Json | null | undefined {
  if (o.removeUpstream === true) {
    if (o.upstreamUrl !== undefined) throw new UsageError('Give --upstream-url or --remove-upstream, not both.');
    return null;
  }
  const key = upstreamKey(o);
  const url = o.upstreamUrl ?? (typeof current?.['url'] === 'string' ? current['url'] : undefined);
  if (url === undefined) {
    if (key !== undefined || o.upstreamModel !== undefined || o.upstreamTimeout !== undefined) {
      throw new UsageError('--upstream-model, --upstream-key-* and --upstream-timeout need --upstream-url (or a deployment that has an upstream).');
    }
    return undefined;
  }
  const body: Json = { url };
  const model = o.upstreamModel ?? current?.['model'];
  if (model !== undefined) body['model'] = model;
  const timeout = o.upstreamTimeout ?? current?.['timeoutSeconds'];
  if (timeout !== undefined) body['timeoutSeconds'] = timeout;
  if (o.upstreamTimeout === undefined && current?.['firstByteTimeoutSeconds'] !== undefined) body['firstByteTimeoutSeconds'] = current['firstByteTimeoutSeconds'];
  if (key !== undefined) body['key'] = key;
  return body;
}
