import type { Resource } from '../../resources/index.js';
import { MODEL_CATALOG, findModel, modelById, type CatalogModel, type ModelOperation } from '../../models/index.js';
import type { AccountIndex } from './accounts.js';
import { dataPlaneErrors, type DataPlaneError } from './errors.js';
import type { Operation } from './operations.js';
import { AZURE_OPERATION_NAMES, type NamedOperation, type OtherOperationKind } from './other-operations.js';

/** What the answers below need from a call. */
interface OtherCall {
  readonly operation: Operation;
  readonly deployment: string | undefined;
  readonly itemId?: string | undefined;
}

/** The answer of a catalog call: always a JSON document. */
export interface OtherAnswer {
  readonly status: number;
  readonly json: string;
}

const OTHER_KINDS: ReadonlySet<string> = new Set<OtherOperationKind>(['listModels', 'getModel', 'listDeployments', 'getDeployment', 'unsupported', 'notServed']);

/** Whether the call is one of other-operations.ts's (no body is read for them). */
export function isOtherOperation(operation: Operation): boolean {
  return OTHER_KINDS.has(operation.kind);
}

/**
 * Answers an authenticated and authorized call to the catalog, the
 * deployment list or an operation no catalog model serves. Refusals are
 * thrown as DataPlaneErrors, for the data plane to audit and render.
 */
export function answerOther(call: OtherCall, account: Resource, accounts: AccountIndex, hasUpstream: (deployment: Resource) => boolean): OtherAnswer {
  switch (call.operation.kind) {
    case 'listModels':
      return { status: 200, json: modelList() };
    case 'getModel': {
      const model = modelById(call.itemId ?? '');
      if (model === undefined) throw dataPlaneErrors.resourceNotFound(`no model '${call.itemId ?? ''}' in the catalog`);
      return { status: 200, json: JSON.stringify(modelEntry(model)) };
    }
    case 'listDeployments':
      return { status: 200, json: JSON.stringify({ data: accounts.deployments(account).map(deploymentEntry), object: 'list' }) };
    case 'getDeployment':
      return { status: 200, json: JSON.stringify(deploymentEntry(existing(accounts, account, call.deployment))) };
    case 'unsupported': {
      const deployment = existing(accounts, account, call.deployment);
      // An upstream might serve it, but Keyless relays only inference: Azure's answer for a path it does not route.
      if (hasUpstream(deployment)) throw dataPlaneErrors.resourceNotFound(`Keyless does not relay ${call.operation.template}`);
      throw dataPlaneErrors.operationNotSupported((call.operation as NamedOperation).azureName, modelName(deployment));
    }
    default:
      throw dataPlaneErrors.resourceNotFound(`Keyless does not serve ${call.operation.template}`);
  }
}

const catalogModels = new WeakMap<Resource, CatalogModel | null>();

/**
 * Azure's refusal of an inference operation the deployment's model cannot do
 * (chat on an embeddings model, …), for deployments the simulator answers
 * (those with an upstream serve what their upstream serves). A model the
 * catalog does not know (a deployment stored before the catalog existed) is
 * not second-guessed.
 */
export function operationRefusal(operation: Operation, deployment: Resource): DataPlaneError | undefined {
  const needed = (AZURE_OPERATION_NAMES as Record<string, ModelOperation | undefined>)[operation.kind];
  if (needed === undefined) return undefined;
  let model = catalogModels.get(deployment);
  if (model === undefined) {
    // Resources are replaced, never changed, when written: the lookup is done once per deployment version.
    model = catalogModelOf(deployment) ?? null;
    catalogModels.set(deployment, model);
  }
  if (model === null || model.operations.has(needed)) return undefined;
  return dataPlaneErrors.operationNotSupported(needed, model.name);
}

function existing(accounts: AccountIndex, account: Resource, name: string | undefined): Resource {
  const deployment = accounts.deployment(account, name ?? '');
  if (!deployment) throw dataPlaneErrors.deploymentNotFound();
  return deployment;
}

function modelProperties(deployment: Resource): Record<string, unknown> {
  const model = deployment.properties['model'];
  return typeof model === 'object' && model !== null ? (model as Record<string, unknown>) : {};
}

function modelName(deployment: Resource): string {
  return String(modelProperties(deployment)['name'] ?? deployment.name);
}

function catalogModelOf(deployment: Resource): CatalogModel | undefined {
  const model = modelProperties(deployment);
  return typeof model['name'] === 'string' && typeof model['version'] === 'string' ? findModel(model['name'], model['version']) : undefined;
}

/** One model as `GET /openai/models` lists it (key order as Azure sends it). */
function modelEntry(model: CatalogModel): Record<string, unknown> {
  return {
    status: 'succeeded',
    capabilities: {
      fine_tune: model.fineTune,
      inference: true,
      completion: model.operations.has('completion'),
      chat_completion: model.operations.has('chatCompletion'),
      embeddings: model.operations.has('embeddings'),
    },
    lifecycle_status: model.lifecycle,
    deprecation: model.fineTune ? { fine_tune: model.inferenceUntil, inference: model.inferenceUntil } : { inference: model.inferenceUntil },
    id: model.id,
    created_at: model.createdAt,
    object: 'model',
  };
}

let modelListJson: string | undefined;
function modelList(): string {
  modelListJson ??= JSON.stringify({ data: MODEL_CATALOG.map(modelEntry), object: 'list' });
  return modelListJson;
}

/** A deployment as the 2022-12-01 data plane listed it (authoring/stable/2022-12-01 examples/get_deployments.json). */
function deploymentEntry(deployment: Resource): Record<string, unknown> {
  const created = Math.floor(Date.parse(deployment.createdAt) / 1000);
  return {
    scale_settings: { scale_type: 'standard' },
    model: catalogModelOf(deployment)?.id ?? modelName(deployment),
    owner: 'organization-owner',
    id: deployment.name,
    status: 'succeeded',
    created_at: created,
    updated_at: created,
    object: 'deployment',
  };
}
