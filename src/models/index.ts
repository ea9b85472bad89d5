/** The built-in simulator model behind the data plane (pure: no HTTP). */
export { ModelInputError } from './errors.js';
export { SimulatorModel, createSimulator } from './simulator.js';
export { encodingForModel, type EncodingName } from './tokenizer.js';
export { defaultDimensions } from './embeddings.js';
export type { CallContext, ChatChoice, ChatResult, ChatUsage, ModelBackend } from './types.js';
