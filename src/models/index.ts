/** The built-in simulator model behind the data plane (pure: no HTTP). */
export { ModelInputError } from './errors.js';
export { SimulatorModel, createSimulator, createSimulatorBackend } from './simulator.js';
export { CachingSimulator } from './simulator-backend.js';
export { MAX_STORED_RESPONSES, ResponseStore, type StoredResponses } from './response-store.js';
export { deletedResponse, newResponseId } from './responses.js';
export { encodingForModel, tokenizerForModel, type EncodingName, type TokenCounter, type Tokenizer } from './tokenizer.js';
export { readMessages, countPromptTokens } from './messages.js';
export { defaultDimensions } from './embeddings.js';
export type { Awaitable, CallContext, ChatChoice, ChatResult, ChatUsage, ModelBackend, ModelChunks, ModelRequest } from './types.js';
export { StreamUsageMeter, usageFromJson, usageOfBody, type Usage } from './usage.js';
export { MODEL_CATALOG, defaultModelVersion, findModel, modelById, type CatalogModel, type ModelOperation } from './catalog.js';
export { CONTENT_FILTER_CAUGHT, PROMPT_FILTER_CAUGHT } from './content-filter.js';
export { answeredModelName } from './answered-model.js';
