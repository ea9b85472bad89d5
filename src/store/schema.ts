import type { Generated } from 'kysely';

/**
 * The store's own tables, as stored. The entities' tables (principals,
 * resources, …) are typed by the declarations of the contexts that own them
 * (their `entities.ts`); the migrations create them all. JSON columns are
 * TEXT in both dialects; times are ISO-8601 text.
 */
export interface Database {
  meta: { key: string; value: string };
  audit_records: {
    seq: Generated<number>;
    at: string;
    surface: string;
    operation: string;
    account: string | null;
    principal_id: string | null;
    principal_type: string | null;
    key_name: string | null;
    drill: string | null;
    decision: string;
    reason: string;
    request_id: string | null;
    deployment: string | null;
    prompt_tokens: number | null;
    completion_tokens: number | null;
    explanation: string | null;
    fix: string | null;
  };
  revisions: { rev: Generated<number>; at: string };
  changes: { rev: number; entity: string; key: string };
}
