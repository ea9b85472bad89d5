import type { FastifyReply } from 'fastify';
import type { CredentialService } from '../../directory/index.js';
import type { FederatedCredential, Principal } from '../../directory/index.js';
import type { ResourceService } from '../../resources/index.js';
import type { ReadModel } from '../../store/index.js';
import { principalEntity } from '../../directory/index.js';
import { RESOURCE_TYPES } from '../../resources/index.js';
import { resourceErrors } from '../../resources/index.js';
import { armErrors } from './errors.js';
import type { ArmTarget } from './path.js';

export const FIC_TYPE = `${RESOURCE_TYPES.userAssignedIdentity}/federatedIdentityCredentials`;

/** A federated credential (or the collection, without `name`) of a user-assigned identity. */
export interface FicTarget {
  readonly subscription: string;
  readonly group: string;
  readonly identity: string;
  readonly name: string | undefined;
}

/** Picks the federated credential paths out of the parsed ARM targets (they are child resources Keyless stores in the directory). */
export function ficTarget(target: ArmTarget): FicTarget | undefined {
  if ((target.kind !== 'resource' && target.kind !== 'resources') || target.type.toLowerCase() !== FIC_TYPE.toLowerCase()) return undefined;
  const names = target.kind === 'resource' ? target.names : target.parentNames;
  const identity = names[0];
  if (identity === undefined) return undefined;
  return { subscription: target.subscription, group: target.group, identity, name: target.kind === 'resource' ? names[1] : undefined };
}

export interface FicCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly reply: FastifyReply;
}

export interface FicDeps {
  readonly resources: ResourceService;
  readonly model: ReadModel;
  readonly credentials: CredentialService;
  readonly subscriptionId: () => string;
}

/**
 * `…/userAssignedIdentities/{identity}/federatedIdentityCredentials[/{name}]`:
 * PUT, GET, DELETE and list, stored as federated credentials of the
 * identity's principal. Authorized at the identity's id.
 */
export async function federatedCredentials(
  call: FicCall,
  target: FicTarget,
  deps: FicDeps,
  authorize: (action: string, scope: string) => void,
): Promise<unknown> {
  if (target.subscription.toLowerCase() !== deps.subscriptionId().toLowerCase()) throw armErrors.subscriptionNotFound(target.subscription);
  const address = { type: RESOURCE_TYPES.userAssignedIdentity, group: target.group, names: [target.identity] };
  const identityId = deps.resources.idOf(address);
  const verb = call.method === 'GET' ? 'read' : call.method === 'PUT' ? 'write' : call.method === 'DELETE' ? 'delete' : undefined;
  if (verb === undefined || (target.name === undefined && verb !== 'read')) throw armErrors.methodNotAllowed(call.method);
  authorize(`${FIC_TYPE}/${verb}`, identityId);
  const identity = deps.resources.get(address);
  const principal = deps.model.table(principalEntity).get(String(identity.properties['principalId']).toLowerCase());
  if (!principal) throw resourceErrors.resourceNotFound(RESOURCE_TYPES.userAssignedIdentity, target.identity, target.group);
  const render = (f: FederatedCredential) => renderFic(identity.id, f);
  if (target.name === undefined) return call.reply.send({ value: deps.credentials.federated(principal).map(render) });
  const name = target.name;
  switch (verb) {
    case 'read':
      return call.reply.send(render(find(deps.credentials, principal, name) ?? notFound(target)));
    case 'write': {
      const properties = call.body['properties'];
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
        throw armErrors.invalidContent("The request content was invalid: the 'properties' object is required.");
      }
      const p = properties as Record<string, unknown>;
      const { credential, created } = await deps.credentials.putFederated(principal, { name, issuer: p['issuer'], subject: p['subject'], audiences: p['audiences'] });
      return call.reply.code(created ? 201 : 200).send(render(credential));
    }
    case 'delete': {
      const existed = find(deps.credentials, principal, name) !== undefined && (await deps.credentials.deleteFederated(principal, name));
      return call.reply.code(existed ? 200 : 204).send();
    }
  }
}

function renderFic(identityId: string, f: FederatedCredential): Record<string, unknown> {
  return {
    id: `${identityId}/federatedIdentityCredentials/${f.name}`,
    name: f.name,
    type: FIC_TYPE,
    properties: { issuer: f.issuer, subject: f.subject, audiences: f.audiences },
  };
}

/** By name only (deleteFederated also accepts an id, which ARM paths never carry). */
const find = (credentials: CredentialService, principal: Principal, name: string): FederatedCredential | undefined =>
  credentials.federated(principal).find((f) => f.name.toLowerCase() === name.toLowerCase());

function notFound(target: FicTarget): never {
  throw resourceErrors.resourceNotFound(RESOURCE_TYPES.userAssignedIdentity, `${target.identity}/federatedIdentityCredentials/${target.name ?? ''}`, target.group);
}
