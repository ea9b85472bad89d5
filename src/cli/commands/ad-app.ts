/** `keyless ad app …`: applications and their federated credentials. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { listValue } from '../arm.js';
import { nounCommand, run } from '../context.js';
import { UsageError } from '../errors.js';
import type { Column } from '../output.js';
import { leaf } from '../resources.js';
import { appPath, eqFilter, findApplication, graph, print } from '../graph.js';

const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

const APP_COLUMNS: readonly Column<Json>[] = [
  { header: 'DisplayName', value: (r) => r['displayName'] },
  { header: 'AppId', value: (r) => r['appId'] },
  { header: 'Id', value: (r) => r['id'] },
  { header: 'CreatedDateTime', value: (r) => r['createdDateTime'] },
];
const FIC_COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (r) => r['name'] },
  { header: 'Issuer', value: (r) => r['issuer'] },
  { header: 'Subject', value: (r) => r['subject'] },
  { header: 'Audiences', value: (r) => (Array.isArray(r['audiences']) ? r['audiences'].join(', ') : r['audiences']) },
];

export function registerAppCommands(app: Command): void {
  leaf(app, 'list', 'List applications.')
    .option('--display-name <name>', 'only the applications with this display name')
    .action(
      run(async (ctx, o: { displayName?: string }) => {
        const filter = o.displayName === undefined ? '' : `?${eqFilter('displayName', o.displayName)}`;
        print(ctx, listValue(await graph(ctx, 'GET', `/v1.0/applications${filter}`)), APP_COLUMNS);
      }),
    );

  leaf(app, 'show', 'Show an application.')
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(run(async (ctx, o: { id: string }) => print(ctx, await findApplication(ctx, o.id), APP_COLUMNS)));

  leaf(app, 'delete', 'Delete an application and its service principal.')
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(run(async (ctx, o: { id: string }) => void (await graph(ctx, 'DELETE', appPath(await findApplication(ctx, o.id))))));

  const fic = nounCommand(app, 'federated-credential', 'Federated identity credentials of an application.');
  const ficPath = (a: Json, name: string): string => `${appPath(a)}/federatedIdentityCredentials/${encodeURIComponent(name)}`;
  type FicFlags = { id: string; name?: string; federatedCredentialId?: string };
  const ficName = (o: FicFlags): string => {
    const name = o.name ?? o.federatedCredentialId;
    if (name === undefined) throw new UsageError('the following arguments are required: --name/-n');
    return name;
  };
  const withFic = (cmd: Command): Command =>
    cmd
      .requiredOption('--id <id>', 'app id (or object id) of the application')
      .option('-n, --name <name>', 'name of the federated credential')
      .option('--federated-credential-id <idOrName>', 'same as --name (its id or name)');

  withFic(leaf(fic, 'create', 'Trust tokens of an external issuer for this application.'))
    .requiredOption('--issuer <url>', 'issuer URL (https)')
    .requiredOption('--subject <subject>', 'subject claim to match exactly')
    .option('--audiences <audiences...>', 'audience to match', [TOKEN_EXCHANGE])
    .option('--description <text>', 'description')
    .action(
      run(async (ctx, o: FicFlags & { issuer: string; subject: string; audiences: string[]; description?: string }) => {
        const name = ficName(o);
        const a = await findApplication(ctx, o.id);
        const body: Json = { name, issuer: o.issuer, subject: o.subject, audiences: o.audiences };
        if (o.description !== undefined) body['description'] = o.description;
        print(ctx, await graph(ctx, 'POST', `${appPath(a)}/federatedIdentityCredentials`, body), FIC_COLUMNS);
      }),
    );

  leaf(fic, 'list', "List an application's federated credentials.")
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(
      run(async (ctx, o: { id: string }) => {
        const a = await findApplication(ctx, o.id);
        print(ctx, listValue(await graph(ctx, 'GET', `${appPath(a)}/federatedIdentityCredentials`)), FIC_COLUMNS);
      }),
    );

  withFic(leaf(fic, 'show', 'Show a federated credential.')).action(
    run(async (ctx, o: FicFlags) => {
      const name = ficName(o);
      print(ctx, await graph(ctx, 'GET', ficPath(await findApplication(ctx, o.id), name)), FIC_COLUMNS);
    }),
  );

  withFic(leaf(fic, 'delete', 'Delete a federated credential.')).action(
    run(async (ctx, o: FicFlags) => {
      const name = ficName(o);
      await graph(ctx, 'DELETE', ficPath(await findApplication(ctx, o.id), name));
    }),
  );
}
