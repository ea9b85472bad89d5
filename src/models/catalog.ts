/**
 * The Azure OpenAI models Keyless knows: each name and version Azure lets an
 * account deploy, what each can do, and its lifecycle, as Azure's
 * `GET /openai/models` shows them. A deployment of anything else needs an
 * upstream (which may serve any model name).
 *
 * Ids, capability flags and the entry shape follow Azure's answers
 * (azure-rest-api-specs authoring/stable/2024-10-21 examples/get_models.json;
 * public captures of real answers: ids are `{name}-{version}`, e.g.
 * `dall-e-3-3.0`, `text-embedding-ada-002-2`). Creation and deprecation
 * times are Keyless's approximations of Azure's published dates
 * (docs/compatibility.md).
 */

/** The inference operations the catalog tells apart, by Azure's names in OperationNotSupported. */
export type ModelOperation = 'chatCompletion' | 'completion' | 'embeddings';

export interface CatalogModel {
  /** `{name}-{version}`, as Azure lists it. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly operations: ReadonlySet<ModelOperation>;
  readonly fineTune: boolean;
  readonly lifecycle: 'generally-available' | 'preview';
  /** Unix seconds. */
  readonly createdAt: number;
  /** Unix seconds after which Azure stops serving the version (and fine-tuning it, for fine-tunable ones). */
  readonly inferenceUntil: number;
  /** The version Azure deploys when a deployment names none. */
  readonly isDefault: boolean;
}

const CHAT: ReadonlySet<ModelOperation> = new Set(['chatCompletion']);
const COMPLETION: ReadonlySet<ModelOperation> = new Set(['completion']);
const EMBEDDINGS: ReadonlySet<ModelOperation> = new Set(['embeddings']);

const day = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 1000;

interface Row {
  name: string;
  version: string;
  operations: ReadonlySet<ModelOperation>;
  created: string;
  until: string;
  fineTune?: boolean;
  preview?: boolean;
  isDefault?: boolean;
}

const ROWS: readonly Row[] = [
  { name: 'gpt-4o', version: '2024-05-13', operations: CHAT, created: '2024-05-13', until: '2026-03-31' },
  { name: 'gpt-4o', version: '2024-08-06', operations: CHAT, created: '2024-08-06', until: '2026-03-31', fineTune: true },
  { name: 'gpt-4o', version: '2024-11-20', operations: CHAT, created: '2024-11-20', until: '2026-03-31', isDefault: true },
  { name: 'gpt-4o-mini', version: '2024-07-18', operations: CHAT, created: '2024-07-18', until: '2026-03-31', fineTune: true, isDefault: true },
  { name: 'gpt-4.1', version: '2025-04-14', operations: CHAT, created: '2025-04-14', until: '2026-04-14', fineTune: true, isDefault: true },
  { name: 'gpt-4.1-mini', version: '2025-04-14', operations: CHAT, created: '2025-04-14', until: '2026-04-14', fineTune: true, isDefault: true },
  { name: 'gpt-4.1-nano', version: '2025-04-14', operations: CHAT, created: '2025-04-14', until: '2026-04-14', fineTune: true, isDefault: true },
  { name: 'gpt-4', version: 'turbo-2024-04-09', operations: CHAT, created: '2024-04-09', until: '2025-06-06', isDefault: true },
  { name: 'gpt-35-turbo', version: '0125', operations: CHAT, created: '2024-01-25', until: '2025-09-30', fineTune: true, isDefault: true },
  { name: 'gpt-35-turbo', version: '1106', operations: CHAT, created: '2023-11-06', until: '2025-09-30', fineTune: true },
  { name: 'gpt-35-turbo-instruct', version: '0914', operations: COMPLETION, created: '2023-09-14', until: '2025-09-30', isDefault: true },
  { name: 'o1', version: '2024-12-17', operations: CHAT, created: '2024-12-17', until: '2026-07-17', isDefault: true },
  { name: 'o3-mini', version: '2025-01-31', operations: CHAT, created: '2025-01-31', until: '2026-08-02', isDefault: true },
  { name: 'o4-mini', version: '2025-04-16', operations: CHAT, created: '2025-04-16', until: '2026-10-16', fineTune: true, isDefault: true },
  { name: 'gpt-5', version: '2025-08-07', operations: CHAT, created: '2025-08-07', until: '2027-02-06', isDefault: true },
  { name: 'gpt-5-mini', version: '2025-08-07', operations: CHAT, created: '2025-08-07', until: '2027-02-06', isDefault: true },
  { name: 'gpt-5-nano', version: '2025-08-07', operations: CHAT, created: '2025-08-07', until: '2027-02-06', isDefault: true },
  { name: 'gpt-5-chat', version: '2025-08-07', operations: CHAT, created: '2025-08-07', until: '2026-02-07', preview: true, isDefault: true },
  { name: 'text-embedding-3-small', version: '1', operations: EMBEDDINGS, created: '2024-01-25', until: '2026-04-30', isDefault: true },
  { name: 'text-embedding-3-large', version: '1', operations: EMBEDDINGS, created: '2024-01-25', until: '2026-04-30', isDefault: true },
  { name: 'text-embedding-ada-002', version: '2', operations: EMBEDDINGS, created: '2023-04-03', until: '2026-04-30', isDefault: true },
];

/** Every model, in the order `GET /openai/models` lists them. */
export const MODEL_CATALOG: readonly CatalogModel[] = ROWS.map((r) => ({
  id: `${r.name}-${r.version}`,
  name: r.name,
  version: r.version,
  operations: r.operations,
  fineTune: r.fineTune ?? false,
  lifecycle: r.preview ? 'preview' : 'generally-available',
  createdAt: day(r.created),
  inferenceUntil: day(r.until),
  isDefault: r.isDefault ?? false,
}));

// Azure's model names are lowercase; a deployment may spell them in any case.
const byNameVersion = new Map(MODEL_CATALOG.map((m) => [`${m.name}\n${m.version}`.toLowerCase(), m]));
const defaults = new Map(MODEL_CATALOG.filter((m) => m.isDefault).map((m) => [m.name, m]));
const byId = new Map(MODEL_CATALOG.map((m) => [m.id.toLowerCase(), m]));

/** The catalog's model of that name and version (format OpenAI), if Azure serves it. */
export function findModel(name: string, version: string): CatalogModel | undefined {
  return byNameVersion.get(`${name}\n${version}`.toLowerCase());
}

/** The version Azure deploys for a name given without one, if the name is in the catalog. */
export function defaultModelVersion(name: string): string | undefined {
  return defaults.get(name.toLowerCase())?.version;
}

/** A model by its catalog id (`GET /openai/models/{model-id}`). */
export function modelById(id: string): CatalogModel | undefined {
  return byId.get(id.toLowerCase());
}
