import { parseResourceId } from '../resources/index.js';

/*
 * The fix commands posture prints: `keyless …` lines a user can paste. Values
 * are quoted for a POSIX shell only when they need it.
 */

export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function command(...words: readonly string[]): string {
  return ['keyless', ...words.map(shellWord)].join(' ');
}

/** `-g GROUP -n NAME` of a top-level resource's id. */
export function groupAndName(id: string): string[] {
  const parsed = parseResourceId(id);
  return ['-g', parsed?.resourceGroup ?? 'GROUP', '-n', parsed?.names[0] ?? 'NAME'];
}

/** The resource group of an id, if it names one. */
export function groupOf(id: string): string | undefined {
  return parseResourceId(id)?.resourceGroup;
}

export const deleteAssignment = (assignmentId: string): string => command('role', 'assignment', 'delete', '--ids', assignmentId);

export const createAssignment = (principalId: string, role: string, scope: string): string =>
  command('role', 'assignment', 'create', '--assignee', principalId, '--role', role, '--scope', scope);
