/** `keyless webapp …`: App Service sites (hosts for managed identities). */
import type { Command } from 'commander';
import { API_VERSIONS, TYPES } from '../arm.js';
import { HOST_COLUMNS, registerHostCommands } from './host.js';

export function registerWebappCommands(program: Command): void {
  registerHostCommands(program, {
    noun: 'webapp',
    description: 'Web apps (Microsoft.Web/sites).',
    label: 'web app',
    kind: { type: TYPES.site, apiVersion: API_VERSIONS.web, columns: HOST_COLUMNS },
  });
}
