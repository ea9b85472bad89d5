/** The header a leak drill's requests carry: the drill's id, as `…/Keyless/drills/start` returned it. */
export const DRILL_MARKER_HEADER = 'x-keyless-drill';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The drill id a request claims, for its audit record; undefined unless the
 * header is one GUID. Anyone can send the header: it labels the record and
 * changes no decision, so the records of a drill are those whose id also has
 * the drill's start and end records.
 */
export function drillMarker(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const value = headers[DRILL_MARKER_HEADER];
  return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : undefined;
}
