import { accountFindings } from './accounts.js';
import { credentialFindings } from './credentials.js';
import { escalationFindings } from './escalation.js';
import { identityFindings } from './identities.js';
import type { PostureInput } from './input.js';
import { SEVERITIES, type Finding, type PostureReport, type Severity } from './model.js';
import { roleFindings } from './roles.js';

/** Every finding of the subscription, highest severity first. A pure function of its input. */
export function assessPosture(input: PostureInput): PostureReport {
  const value = [...accountFindings(input), ...credentialFindings(input), ...roleFindings(input), ...identityFindings(input), ...escalationFindings(input)]
    .sort(bySeverityThenResource);
  const summary: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of value) summary[f.severity] += 1;
  return { subscriptionId: input.subscriptionId, generatedAt: new Date(input.now).toISOString(), maxKeyAgeDays: input.maxKeyAgeDays, summary, value };
}

function bySeverityThenResource(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.code.localeCompare(b.code) || a.resource.localeCompare(b.resource);
}

/** Whether a report has a finding at or above `threshold` (what `--fail-on` gates on). */
export function reachesSeverity(findings: readonly Pick<Finding, 'severity'>[], threshold: Severity): boolean {
  const limit = SEVERITIES.indexOf(threshold);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
