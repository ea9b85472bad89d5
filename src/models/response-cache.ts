/**
 * The simulator is deterministic: the same deployment and request body always
 * get the same answer, apart from the response id and creation time. So the
 * serialised answer is kept, cut around those two fields, and a repeated
 * request costs one concatenation instead of a model call and a
 * JSON.stringify. Bounded; cleared wholesale when full.
 */
export const ID_MARK = 'keyless-response-id-mark';
export const CREATED_MARK = 1;
const MAX_ENTRIES = 2000;
/** Keys hold whole request bodies: the cache is bounded in characters too (about 64 MB of UTF-16). */
const MAX_CHARS = 32 * 1024 * 1024;

const ID_FIELD = `"id":"${ID_MARK}"`;
const CREATED_FIELD = `"created":${CREATED_MARK},`;

/** A serialised answer: `head + id + middle + created + tail`, or just `head` when it has neither field (embeddings). */
export class ResponseTemplate {
  private readonly head: string;
  private readonly middle: string | undefined;
  private readonly tail: string;

  constructor(json: string) {
    // `"id"` and `"created"` are top-level fields, before any nested content, so the first matches are theirs.
    const id = json.indexOf(ID_FIELD);
    const created = id === -1 ? -1 : json.indexOf(CREATED_FIELD, id);
    if (created === -1) {
      this.head = json;
      this.tail = '';
      return;
    }
    this.head = json.slice(0, id + '"id":"'.length);
    this.middle = json.slice(id + ID_FIELD.length - 1, created + '"created":'.length);
    this.tail = json.slice(created + CREATED_FIELD.length - 1);
  }

  fill(id: string, created: number): string {
    return this.middle === undefined ? this.head : this.head + id + this.middle + created + this.tail;
  }
}

export class ResponseCache {
  private readonly entries = new Map<string, ResponseTemplate>();
  private chars = 0;

  get(key: string, produce: () => unknown): ResponseTemplate {
    let template = this.entries.get(key);
    if (template === undefined) {
      const json = JSON.stringify(produce());
      template = new ResponseTemplate(json);
      const size = key.length + json.length;
      if (size > MAX_CHARS / 16) return template; // too big to be worth keeping
      if (this.entries.size >= MAX_ENTRIES || this.chars + size > MAX_CHARS) {
        this.entries.clear();
        this.chars = 0;
      }
      this.entries.set(key, template);
      this.chars += size;
    }
    return template;
  }
}
