export { bearerToken } from './bearer.js';
export { FORM_BODY_LIMIT, FormBody, registerFormParser } from './form.js';
export { redactUrl } from './redact.js';
export { createServer } from './server.js';
export type { RawHandler, RawLogger } from './server.js';
export { CodedWireError, frameworkClientError, useErrorDialect } from './wire-error.js';
export type { ErrorDialect, WireError } from './wire-error.js';
export { writeEvents, type EventFraming } from './sse.js';
export { readBody, type RawBody } from './body.js';
