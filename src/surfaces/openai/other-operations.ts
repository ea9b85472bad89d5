import type { Operation } from './operations.js';

/**
 * The data-plane paths beyond inference: the model catalog and the
 * deployment list (GET), the deployment operations no catalog model serves
 * (images, audio: OperationNotSupported), and the account-level APIs Keyless
 * does not serve (files, batches, assistants, …: Azure's 404 once the caller
 * is authenticated).
 */
export type OtherOperationKind = 'listModels' | 'getModel' | 'listDeployments' | 'getDeployment' | 'unsupported' | 'notServed';

/** A deployment operation whose name Azure gives in OperationNotSupported (e.g. `chatCompletion`). */
export interface NamedOperation extends Operation {
  readonly azureName: string;
}

/** What a path beyond the inference operations resolves to. */
export interface OtherRoute {
  readonly operation: Operation;
  readonly v1: boolean;
  readonly deployment: string | undefined;
  /** The model id of `GET /openai/models/{model-id}`. */
  readonly itemId: string | undefined;
}

const PREFIX = 'Microsoft.CognitiveServices/accounts/OpenAI';
// Azure's provider operations: `…/OpenAI/models/read`, `…/OpenAI/deployments/read` (granted by the OpenAI User role's `…/OpenAI/*/read`).
const MODELS_READ = `${PREFIX}/models/read`;
const DEPLOYMENTS_READ = `${PREFIX}/deployments/read`;

const op = (kind: OtherOperationKind, dataAction: string, template: string): Operation => ({ kind, dataAction, template });

const LIST_MODELS = op('listModels', MODELS_READ, 'GET /openai/models');
const GET_MODEL = op('getModel', MODELS_READ, 'GET /openai/models/{model-id}');
const V1_LIST_MODELS = op('listModels', MODELS_READ, 'GET /openai/v1/models');
const V1_GET_MODEL = op('getModel', MODELS_READ, 'GET /openai/v1/models/{model}');
const LIST_DEPLOYMENTS = op('listDeployments', DEPLOYMENTS_READ, 'GET /openai/deployments');
const GET_DEPLOYMENT = op('getDeployment', DEPLOYMENTS_READ, 'GET /openai/deployments/{deployment-id}');

const unsupported = (path: string, azureName: string, dataAction: string): NamedOperation => ({
  kind: 'unsupported',
  dataAction: `${PREFIX}/${dataAction}`,
  template: `POST /openai/deployments/{deployment-id}/${path}`,
  azureName,
});

/** Deployment operations of models outside the catalog. Their names in OperationNotSupported are Keyless's guesses in Azure's style. */
const UNSUPPORTED: Readonly<Record<string, NamedOperation>> = {
  'images/generations': unsupported('images/generations', 'imageGeneration', 'images/generations/action'),
  'audio/transcriptions': unsupported('audio/transcriptions', 'audioTranscription', 'deployments/audio/action'),
  'audio/translations': unsupported('audio/translations', 'audioTranslation', 'deployments/audio/action'),
  'audio/speech': unsupported('audio/speech', 'audioSpeech', 'deployments/audio/action'),
};

/** Account-level APIs (any method, any path beneath). */
const NOT_SERVED: ReadonlySet<string> = new Set(['files', 'uploads', 'batches', 'assistants', 'threads', 'vector_stores', 'fine_tuning', 'fine-tunes']);
/** On the v1 API, images and audio too: they name their deployment in a body Keyless does not read. */
const NOT_SERVED_V1: ReadonlySet<string> = new Set([...NOT_SERVED, 'images', 'audio']);

/** `rest` are the path segments after `/openai`, fixed ones already lowercased by the caller where it matters. */
export function matchOtherRoute(method: string, rest: readonly string[]): OtherRoute | undefined {
  const first = rest[0]?.toLowerCase();
  const v1 = first === 'v1';
  const tail = v1 ? rest.slice(1) : rest;
  const head = tail[0]?.toLowerCase();
  if (head === undefined) return undefined;
  if ((v1 ? NOT_SERVED_V1 : NOT_SERVED).has(head)) {
    return route(op('notServed', '', `${method} /openai/${v1 ? 'v1/' : ''}${head}`), v1);
  }
  if (method === 'GET') {
    if (head === 'models' && tail.length === 1) return route(v1 ? V1_LIST_MODELS : LIST_MODELS, v1);
    if (head === 'models' && tail.length === 2) return route(v1 ? V1_GET_MODEL : GET_MODEL, v1, undefined, tail[1]);
    if (!v1 && head === 'deployments' && tail.length === 1) return route(LIST_DEPLOYMENTS, false);
    if (!v1 && head === 'deployments' && tail.length === 2) return route(GET_DEPLOYMENT, false, tail[1]);
    return undefined;
  }
  if (method === 'POST' && !v1 && head === 'deployments' && tail.length >= 3) {
    const name = tail.slice(2).join('/').toLowerCase();
    if (Object.hasOwn(UNSUPPORTED, name)) return route(UNSUPPORTED[name] as NamedOperation, false, tail[1]);
  }
  return undefined;
}

const route = (operation: Operation, v1: boolean, deployment?: string, itemId?: string): OtherRoute => ({ operation, v1, deployment, itemId });

/** The inference operations by Azure's names in OperationNotSupported ("The chatCompletion operation does not work …"). */
export const AZURE_OPERATION_NAMES = { chat: 'chatCompletion', completions: 'completion', embeddings: 'embeddings' } as const;
