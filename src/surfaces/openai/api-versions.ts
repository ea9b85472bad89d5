/**
 * The data-plane api-versions Azure OpenAI answers, from the folders of
 * azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI
 * (inference/stable, inference/preview and authoring/preview). Azure retires
 * old previews now and then; Keyless keeps every published one, so that an
 * app pinned to one keeps working (docs/compatibility.md).
 */
export const STABLE_API_VERSIONS: readonly string[] = ['2022-12-01', '2023-05-15', '2024-02-01', '2024-06-01', '2024-10-21'];

export const PREVIEW_API_VERSIONS: readonly string[] = [
  '2022-03-01-preview',
  '2022-06-01-preview',
  '2023-03-15-preview',
  '2023-06-01-preview',
  '2023-07-01-preview',
  '2023-08-01-preview',
  '2023-09-01-preview',
  '2023-10-01-preview',
  '2023-11-01-preview',
  '2023-12-01-preview',
  '2024-02-15-preview',
  '2024-03-01-preview',
  '2024-04-01-preview',
  '2024-05-01-preview',
  '2024-07-01-preview',
  '2024-08-01-preview',
  '2024-09-01-preview',
  '2024-10-01-preview',
  '2024-12-01-preview',
  '2025-01-01-preview',
  '2025-02-01-preview',
  '2025-03-01-preview',
  '2025-04-01-preview',
];

/** What the v1 API accepts instead of a date: nothing, or one of these (the Vercel AI SDK sends `v1`; Azure's v1 preview took `preview`). */
const V1_API_VERSIONS: ReadonlySet<string> = new Set(['v1', 'preview', 'latest']);

const DATED: ReadonlySet<string> = new Set([...STABLE_API_VERSIONS, ...PREVIEW_API_VERSIONS]);

/**
 * The data-plane listing of deployments exists only in the first versions;
 * Azure answers 404 from 2023-05-15 on (live capture: `GET /openai/deployments?api-version=2024-10-21` → 404).
 */
export const DEPLOYMENT_LIST_API_VERSIONS: ReadonlySet<string> = new Set(['2022-03-01-preview', '2022-06-01-preview', '2022-12-01', '2023-03-15-preview']);

/** Chat completions came with 2023-03-15-preview: the 2022 versions have no such route. */
const BEFORE_CHAT: ReadonlySet<string> = new Set(['2022-03-01-preview', '2022-06-01-preview', '2022-12-01']);

/**
 * Why an api-version is refused, if it is: `notFound` for the classic routes
 * (Azure's 404 "Resource not found", as for a missing one), `unsupported`
 * for the v1 routes (400 "API version not supported").
 */
export type ApiVersionRefusal = 'notFound' | 'unsupported';

/** Judged once per URL (routes are cached), so the hot path only reads the result. */
export function judgeApiVersion(v1: boolean, apiVersion: string | undefined, route: { readonly chat: boolean; readonly deploymentList: boolean }): ApiVersionRefusal | undefined {
  if (v1) return apiVersion === undefined || V1_API_VERSIONS.has(apiVersion) ? undefined : 'unsupported';
  if (apiVersion === undefined || !DATED.has(apiVersion)) return 'notFound';
  if (route.deploymentList && !DEPLOYMENT_LIST_API_VERSIONS.has(apiVersion)) return 'notFound';
  if (route.chat && BEFORE_CHAT.has(apiVersion)) return 'notFound';
  return undefined;
}
