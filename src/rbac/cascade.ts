import { keyOf, type Writer } from '../store/index.js';
import { assignmentEntity } from './entities.js';

/**
 * Inside a write: deletes every role assignment at `scopeKey` (a lowercased
 * resource or group id) or beneath it. Assignments are extension resources of
 * their scope and go with it; an assignment's key is its lowercased id, which
 * starts with its scope's.
 */
export async function deleteAssignmentsUnder(writer: Writer, scopeKey: string): Promise<void> {
  for (const assignment of await writer.findPrefixed(assignmentEntity, 'key', `${scopeKey}/`)) {
    await writer.delete(assignmentEntity, keyOf(assignmentEntity, assignment));
  }
}
