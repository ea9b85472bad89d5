// Public surface of the posture context: findings over the other contexts' models, computed from the read model.
export type { EscalationPath, Finding, FindingCode, PostureReport, Severity } from './model.js';
export { DEFAULT_MAX_KEY_AGE_DAYS, EXPIRY_WARNING_DAYS, MAX_KEY_AGE_DAYS_LIMIT, SEVERITIES } from './model.js';
export type { FixAction } from './actions.js';
export type { PostureInput } from './input.js';
export { assessPosture, reachesSeverity } from './assess.js';
export { readPostureInput, type PostureOptions, type PostureRbac } from './read-model.js';
export { hasWildcardDataActions, roleFindings } from './roles.js';
