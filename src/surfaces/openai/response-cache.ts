/**
 * The simulator is deterministic: the same deployment and request body always
 * get the same answer, apart from the response id and creation time. So the
 * serialised answer is kept, with those two fields marked, and a repeated
 * request costs two string replacements instead of a model call and a
 * JSON.stringify. Bounded; cleared wholesale when full.
 */
export const ID_MARK = 'keyless-response-id-mark';
export const CREATED_MARK = 1;
const MAX_ENTRIES = 2000;

export class ResponseCache {
  private readonly entries = new Map<string, string>();

  get(key: string, produce: () => unknown): string {
    let template = this.entries.get(key);
    if (template === undefined) {
      template = JSON.stringify(produce());
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, template);
    }
    return template;
  }
}

/** Fills a template's marks: `"id"` and `"created"` are top-level fields, before any nested content, so the first match is theirs. */
export function fill(template: string, id: string, created: number): string {
  return template.replace(`"id":"${ID_MARK}"`, `"id":"${id}"`).replace(`"created":${CREATED_MARK},`, `"created":${created},`);
}
