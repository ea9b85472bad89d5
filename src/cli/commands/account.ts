/** `keyless account show`: where the running Keyless is, from its runtime file. */
import type { Command } from 'commander';
import { nounCommand, run } from '../context.js';
import { printResult } from '../output.js';
import { leaf } from '../resources.js';

interface AccountView {
  tenantId: string;
  subscriptionId: string;
  endpoints: { authority: string; resourceManager: string; identity: string };
  /** The built-in Kubernetes-style issuer that `keyless run --as-workload` tokens come from. */
  workloadIssuer: string;
}

export function registerAccountCommands(program: Command): void {
  const account = nounCommand(program, 'account', 'The tenant and subscription of the running Keyless.');
  leaf(account, 'show', 'Show the tenant, subscription and endpoints.').action(
    run(async (ctx) => {
      const client = ctx.client();
      await client.health();
      const r = client.runtime;
      const view: AccountView = {
        tenantId: r.tenantId,
        subscriptionId: r.subscriptionId,
        endpoints: { authority: r.baseUrl, resourceManager: r.baseUrl, identity: r.identityUrl },
        workloadIssuer: `${r.baseUrl}/workload-issuer`,
      };
      printResult(ctx, view, [view], [
        { header: 'TenantId', value: (v: AccountView) => v.tenantId },
        { header: 'SubscriptionId', value: (v: AccountView) => v.subscriptionId },
        { header: 'ResourceManager', value: (v: AccountView) => v.endpoints.resourceManager },
        { header: 'Identity', value: (v: AccountView) => v.endpoints.identity },
        { header: 'WorkloadIssuer', value: (v: AccountView) => v.workloadIssuer },
      ]);
    }),
  );
}
