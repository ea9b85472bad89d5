/**
 * The az-shaped client commands of `keyless`. Each talks to the running
 * server found through the data folder's runtime file.
 */
import type { Command } from 'commander';
import { registerAccountCommands } from './commands/account.js';
import { registerAdCommands } from './commands/ad.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerClockCommands } from './commands/clock.js';
import { registerClusterCommands } from './commands/cluster.js';
import { registerDrillCommands } from './commands/drill.js';
import { registerFaultCommands } from './commands/fault.js';
import { registerGroupCommands } from './commands/group.js';
import { registerIdentityCommands } from './commands/identity.js';
import { registerOpenAiCommands } from './commands/openai.js';
import { registerPortalCommand } from './commands/portal.js';
import { registerPostureCommand } from './commands/posture.js';
import { registerRoleCommands } from './commands/role.js';
import { registerRunCommands } from './commands/run.js';
import { registerSigningKeyCommands } from './commands/signing-key.js';
import { registerVmCommands } from './commands/vm.js';
import { registerWebappCommands } from './commands/webapp.js';

export function registerClientCommands(program: Command): void {
  registerAccountCommands(program);
  registerGroupCommands(program);
  registerIdentityCommands(program);
  registerOpenAiCommands(program);
  registerWebappCommands(program);
  registerVmCommands(program);
  registerRoleCommands(program);
  registerAdCommands(program);
  registerAuditCommands(program);
  registerClusterCommands(program);
  registerClockCommands(program);
  registerFaultCommands(program);
  registerRunCommands(program);
  registerSigningKeyCommands(program);
  registerPostureCommand(program);
  registerDrillCommands(program);
  registerPortalCommand(program);
}
