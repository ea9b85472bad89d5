/** `keyless vm …`: virtual machines (hosts for managed identities). */
import type { Command } from 'commander';
import { API_VERSIONS, TYPES } from '../arm.js';
import { HOST_COLUMNS, registerHostCommands } from './host.js';

export function registerVmCommands(program: Command): void {
  registerHostCommands(program, {
    noun: 'vm',
    description: 'Virtual machines (Microsoft.Compute/virtualMachines).',
    label: 'virtual machine',
    kind: { type: TYPES.vm, apiVersion: API_VERSIONS.compute, columns: HOST_COLUMNS },
  });
}
