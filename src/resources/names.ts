import { InvalidInputError } from '../shared/errors.js';
import { resourceErrors } from './errors.js';

/** Azure's naming rules per resource type (learn.microsoft.com resource-name-rules). */
interface NameRule {
  readonly pattern: RegExp;
  readonly text: string;
}

const RULES: Record<string, NameRule> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/,
    text: 'It must be 3 to 128 characters: letters, digits, hyphens and underscores, starting with a letter or digit.',
  },
  'Microsoft.CognitiveServices/accounts': {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/,
    text: 'It must be 2 to 64 characters: letters, digits and hyphens, starting and ending with a letter or digit.',
  },
  'Microsoft.CognitiveServices/accounts/deployments': {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/,
    text: 'It must be 2 to 64 characters: letters, digits, hyphens, periods and underscores, starting with a letter or digit.',
  },
  'Microsoft.Web/sites': {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])$/,
    text: 'It must be 2 to 60 characters: letters, digits and hyphens, starting and ending with a letter or digit.',
  },
  'Microsoft.Compute/virtualMachines': {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/,
    text: 'It must be 1 to 64 characters: letters, digits, hyphens, periods and underscores; it cannot end with a period or hyphen.',
  },
};

export function checkResourceName(type: string, name: string): void {
  const rule = RULES[type];
  if (rule && !rule.pattern.test(name)) throw resourceErrors.invalidName(type, name, rule.text);
}

const GROUP_NAME = /^[-\w.()]{0,89}[-\w()]$/u;

export function checkGroupName(name: string): void {
  if (!GROUP_NAME.test(name)) throw resourceErrors.invalidGroupName(name);
}

/** Azure accepts display names ("East US") and normalises to the programmatic name ("eastus"). */
export function normaliseLocation(location: unknown): string {
  if (typeof location !== 'string' || location.trim() === '') throw resourceErrors.locationRequired();
  const normalised = location.toLowerCase().replace(/\s+/g, '');
  if (!/^[a-z0-9]{2,40}$/.test(normalised)) {
    throw new InvalidInputError(
      'LocationNotAvailableForResourceType',
      `The provided location '${location}' is not available for resource type.`,
    );
  }
  return normalised;
}
