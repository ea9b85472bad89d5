/** `keyless ad sp …` and `keyless ad app …`: applications, their service principals and credentials, through Keyless's Graph slice. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { listValue } from '../arm.js';
import { nounCommand, run } from '../context.js';
import { UsageError } from '../errors.js';
import { requireArmPath } from '../flags.js';
import type { Column } from '../output.js';
import { leaf } from '../resources.js';
import { appPath, findApplication, findServicePrincipal, graph, print } from '../graph.js';
import { createAssignment, resolveRoleId } from './role.js';
import { addCredential, credentialColumns, credentialOutput, registerCredentialCommands, withCredentialFlags, type CredentialFlags } from './ad-credentials.js';
import { registerAppCommands } from './ad-app.js';

const SP_COLUMNS: readonly Column<Json>[] = [
  { header: 'DisplayName', value: (r) => r['displayName'] },
  { header: 'AppId', value: (r) => r['appId'] },
  { header: 'Id', value: (r) => r['id'] },
  { header: 'Type', value: (r) => r['servicePrincipalType'] },
];

export function registerAdCommands(program: Command): void {
  const ad = nounCommand(program, 'ad', 'Applications and service principals (Microsoft Entra ID, through Graph).');
  const sp = nounCommand(ad, 'sp', 'Service principals.');

  withCredentialFlags(leaf(sp, 'create-for-rbac', 'Create an application with its service principal and a credential, optionally with role assignments.'))
    .option('-n, --name <name>', 'display name (default: keyless-<time>)')
    .option('--display-name <name>', 'same as --name')
    .option('--role <role>', 'role to assign at each of --scopes')
    .option('--scopes <scopes...>', 'ARM ids of the scopes for --role')
    .action(
      run(async (ctx, o: CredentialFlags & { name?: string; displayName?: string; role?: string; scopes?: string[] }) => {
        if ((o.role === undefined) !== (o.scopes === undefined)) throw new UsageError('usage error: To create role assignments, specify both --role and --scopes.');
        const scopes = (o.scopes ?? []).map((s) => requireArmPath('--scopes', s));
        const roleId = o.role === undefined ? undefined : await resolveRoleId(ctx, o.role);
        const displayName = o.name ?? o.displayName ?? `keyless-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const app = await graph(ctx, 'POST', '/v1.0/applications', { displayName });
        const added = await addCredential(ctx, app, { cert: o.createCert === true, years: o.years, append: true, displayName: 'rbac' });
        if (roleId !== undefined) {
          const principal = await findServicePrincipal(ctx, String(app['appId']));
          for (const scope of scopes) await createAssignment(ctx, scope, roleId, String(principal['id']), 'ServicePrincipal');
        }
        const out = credentialOutput(ctx, app, added, true);
        print(ctx, out, credentialColumns(out, true));
      }),
    );

  leaf(sp, 'list', 'List service principals (applications and managed identities).')
    .option('--display-name <prefix>', 'only those whose display name starts with this')
    .action(
      run(async (ctx, o: { displayName?: string }) => {
        const filter = o.displayName === undefined ? '' : `?$filter=${encodeURIComponent(`startswith(displayName,'${o.displayName.replace(/'/g, "''")}')`)}`;
        print(ctx, listValue(await graph(ctx, 'GET', `/v1.0/servicePrincipals${filter}`)), SP_COLUMNS);
      }),
    );

  leaf(sp, 'show', 'Show a service principal.')
    .requiredOption('--id <id>', 'app id (or object id) of the service principal')
    .action(run(async (ctx, o: { id: string }) => print(ctx, await findServicePrincipal(ctx, o.id), SP_COLUMNS)));

  leaf(sp, 'delete', 'Delete a service principal and its application (its role assignments stay, as orphans).')
    .requiredOption('--id <id>', 'app id of the service principal')
    .action(run(async (ctx, o: { id: string }) => void (await graph(ctx, 'DELETE', appPath(await findApplication(ctx, o.id))))));

  registerCredentialCommands(nounCommand(sp, 'credential', 'Secrets and certificates of a service principal.'));
  registerAppCommands(nounCommand(ad, 'app', 'Applications.'));
}
