// Public surface of the audit context: the record model, the batching log and its sink interface.
export type { AuditDecision, AuditQuery, AuditRecord, AuditSink, AuditSurface, TokenUsage } from './model.js';
export { AUDIT_DECISIONS, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, AUDIT_SURFACES, auditLimit } from './model.js';
export { AuditLog } from './log.js';
export type { AuditLogOptions } from './log.js';
export { BoundedQueue } from './queue.js';
export { AuditRecorder, type AuditQueue, type DenialExplanation } from './recorder.js';
