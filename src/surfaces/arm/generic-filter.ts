import type { Resource } from '../../resources/index.js';
import { parseResourceId } from '../../resources/index.js';
import { armErrors } from './errors.js';

/**
 * The `$filter` of ARM's generic resource list (`az resource list`), as the
 * Resources API documents it: `eq`/`ne` on `resourceType`, `name`,
 * `location`, `resourceGroup` and `identity/principalId`;
 * `substringof('…', name|resourceGroup)`; `tagName eq '…'` (with
 * `tagValue eq '…'`) and `startswith(tagName, '…')`; clauses joined by
 * `and`. Values compare in any case, as ARM's names do. Anything else is
 * ARM's `InvalidFilterInQueryString`.
 */
export function parseGenericFilter(filter: string | undefined): (resource: Resource) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((clause) => clause.trim());
  const tests: ((resource: Resource) => boolean)[] = [];
  const tagName = clauses.map((c) => EQ.exec(c)).find((m) => m?.[1]?.toLowerCase() === 'tagname' && m[2] === 'eq');
  for (const clause of clauses) {
    const test = parseClause(clause, tagName ? unquote(tagName[3]) : undefined);
    if (test === undefined) throw armErrors.invalidFilter(filter);
    tests.push(test);
  }
  return (resource) => tests.every((test) => test(resource));
}

const VALUE = "'((?:[^']|'')*)'";
const EQ = new RegExp(`^([A-Za-z]+(?:/[A-Za-z]+)?)\\s+(eq|ne)\\s+${VALUE}$`, 'i');
const SUBSTRINGOF = new RegExp(`^substringof\\(\\s*${VALUE}\\s*,\\s*(name|resourceGroup)\\s*\\)$`, 'i');
const TAG_PREFIX = new RegExp(`^startswith\\(\\s*tagName\\s*,\\s*${VALUE}\\s*\\)$`, 'i');

const unquote = (value: string | undefined): string => (value ?? '').replace(/''/g, "'").toLowerCase();

/** What each property of a resource reads as, lowercased. */
const PROPERTIES: Readonly<Record<string, (r: Resource) => string | undefined>> = {
  resourcetype: (r) => r.type,
  name: (r) => r.name,
  location: (r) => r.location,
  resourcegroup: (r) => parseResourceId(r.id)?.resourceGroup,
  'identity/principalid': (r) => r.identity?.systemPrincipalId ?? undefined,
};

function parseClause(clause: string, tagNameAsked: string | undefined): ((r: Resource) => boolean) | undefined {
  const sub = SUBSTRINGOF.exec(clause);
  if (sub) {
    const part = unquote(sub[1]);
    const read = PROPERTIES[(sub[2] ?? '').toLowerCase()];
    return read && ((r) => (read(r) ?? '').toLowerCase().includes(part));
  }
  const prefix = TAG_PREFIX.exec(clause);
  if (prefix) {
    const start = unquote(prefix[1]);
    return (r) => Object.keys(r.tags).some((k) => k.toLowerCase().startsWith(start));
  }
  const eq = EQ.exec(clause);
  if (!eq) return undefined;
  const property = (eq[1] ?? '').toLowerCase();
  const value = unquote(eq[3]);
  const negate = (eq[2] ?? '').toLowerCase() === 'ne';
  if (property === 'tagname') {
    if (negate) return undefined;
    return (r) => Object.keys(r.tags).some((k) => k.toLowerCase() === value);
  }
  if (property === 'tagvalue') {
    // Only with a tag name (Azure: "tagName eq 'k' and tagValue eq 'v'").
    if (negate || tagNameAsked === undefined) return undefined;
    return (r) => Object.entries(r.tags).some(([k, v]) => k.toLowerCase() === tagNameAsked && v.toLowerCase() === value);
  }
  const read = PROPERTIES[property];
  if (read === undefined) return undefined;
  return (r) => ((read(r) ?? '').toLowerCase() === value) !== negate;
}
