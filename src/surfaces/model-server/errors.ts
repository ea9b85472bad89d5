import { ModelInputError } from '../../models/index.js';

/** An error in OpenAI's own dialect: `{"error":{"message","type","param","code"}}`. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** The only place the model server's error bodies are built. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** The model server's catalogue, in OpenAI's words where OpenAI has them. */
export const openAiErrors = {
  unknownUrl: (method: string, path: string) =>
    new OpenAiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error'),
  noModel: () => new OpenAiError(400, 'you must provide a model parameter', 'invalid_request_error'),
  unparsable: (detail: string) => new OpenAiError(400, `We could not parse the JSON body of your request. (${detail})`, 'invalid_request_error'),
  tooLarge: () => new OpenAiError(413, 'The request body is too large.', 'invalid_request_error'),
  responseNotFound: (id: string) => new OpenAiError(404, `Response with id '${id}' not found.`, 'invalid_request_error'),
  internal: () => new OpenAiError(500, 'The server had an error while processing your request.', 'server_error'),
};

/** The one mapping: its own errors, and the model's refusal of a body. Anything else is a 500. */
export function toOpenAiError(error: unknown): OpenAiError | undefined {
  if (error instanceof OpenAiError) return error;
  if (error instanceof ModelInputError) return new OpenAiError(400, error.message, 'invalid_request_error', error.param, error.openaiCode);
  return undefined;
}
