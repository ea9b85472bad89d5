import type { OtherOperationKind } from './other-operations.js';

/** The data-plane operations Keyless serves, with the data action each needs and the template Azure names in PermissionDenied. */
export interface Operation {
  readonly kind: 'chat' | 'completions' | 'embeddings' | 'responses' | OtherOperationKind;
  readonly dataAction: string;
  /** As Azure writes it in PermissionDenied, e.g. "POST /openai/deployments/{deployment-id}/chat/completions". */
  readonly template: string;
}

const PREFIX = 'Microsoft.CognitiveServices/accounts/OpenAI';

export const DEPLOYMENT_OPERATIONS: Readonly<Record<string, Operation>> = {
  'chat/completions': {
    kind: 'chat',
    dataAction: `${PREFIX}/deployments/chat/completions/action`,
    template: 'POST /openai/deployments/{deployment-id}/chat/completions',
  },
  completions: {
    kind: 'completions',
    dataAction: `${PREFIX}/deployments/completions/action`,
    template: 'POST /openai/deployments/{deployment-id}/completions',
  },
  embeddings: {
    kind: 'embeddings',
    dataAction: `${PREFIX}/deployments/embeddings/action`,
    template: 'POST /openai/deployments/{deployment-id}/embeddings',
  },
};

/** The v1 API names the deployment in the body's `model`; PermissionDenied names the literal path. */
export const V1_OPERATIONS: Readonly<Record<string, Operation>> = {
  'chat/completions': { ...(DEPLOYMENT_OPERATIONS['chat/completions'] as Operation), template: 'POST /openai/v1/chat/completions' },
  completions: { ...(DEPLOYMENT_OPERATIONS['completions'] as Operation), template: 'POST /openai/v1/completions' },
  embeddings: { ...(DEPLOYMENT_OPERATIONS['embeddings'] as Operation), template: 'POST /openai/v1/embeddings' },
};
