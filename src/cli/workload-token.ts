import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../runtime/data-dir.js';
import { asObject, subscriptionPath } from './arm.js';
import type { CommandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import type { KeylessClient } from './client.js';

const LIFETIME_SECONDS = 3600;

/**
 * A projected service-account token, as the kubelet keeps one: written to a
 * file (0600) the workload reads through AZURE_FEDERATED_TOKEN_FILE, renewed
 * at half its life while the command runs, removed when it ends.
 */
export class WorkloadToken {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: KeylessClient,
    private readonly file: string,
    private readonly namespace: string,
    private readonly serviceAccount: string,
    private readonly audience: string,
  ) {}

  static async start(ctx: CommandContext, workload: string, audience: string): Promise<WorkloadToken> {
    const [namespace, serviceAccount, extra] = workload.split('/');
    if (!namespace || !serviceAccount || extra !== undefined) throw new UsageError('--as-workload takes NAMESPACE/SERVICEACCOUNT.');
    const dir = path.join(ctx.dataDir, 'workload-tokens');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const token = new WorkloadToken(ctx.client(), path.join(dir, `${randomBytes(8).toString('hex')}.jwt`), namespace, serviceAccount, audience);
    await token.refresh();
    token.timer = setInterval(() => void token.refresh().catch((error: unknown) => process.stderr.write(`keyless: could not renew the workload token: ${String(error)}\n`)), (LIFETIME_SECONDS / 2) * 1000);
    token.timer.unref();
    return token;
  }

  /** The variables WorkloadIdentityCredential and DefaultAzureCredential read; `adfs` keeps MSAL off Microsoft's instance discovery. */
  variables(clientId: string, authorityHost: string): Record<string, string> {
    return { AZURE_FEDERATED_TOKEN_FILE: this.file, AZURE_CLIENT_ID: clientId, AZURE_AUTHORITY_HOST: authorityHost, AZURE_TENANT_ID: 'adfs' };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    fs.rmSync(this.file, { force: true });
  }

  private async refresh(): Promise<void> {
    const res = await this.client.request('POST', `${subscriptionPath(this.client.runtime.subscriptionId)}/providers/Keyless/workloadTokens/issue`, '2026-01-01', {
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      audience: this.audience,
      lifetimeSeconds: LIFETIME_SECONDS,
    });
    const token = asObject(res.body)['token'];
    if (typeof token !== 'string') throw new CliError('Keyless answered without a workload token.');
    writeFileAtomic(this.file, token, 0o600);
  }
}
