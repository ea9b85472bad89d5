export { createModelServer } from './server.js';
export { OpenAiError, openAiErrors, toOpenAiError } from './errors.js';
export { SERVED_MODELS } from './models.js';
