import { useMemo, useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { putAndWait } from '../long-running.js';

/** Capacity as Azure explains it: each unit is 1,000 tokens and 6 requests per minute. */
export function capacityMeaning(capacity: number): string {
  return `${(capacity * 1000).toLocaleString('en-US')} tokens/min, ${(capacity * 6).toLocaleString('en-US')} requests/min`;
}

/**
 * A deployment as `openai deployment create` makes it (src/cli/commands/openai-deployment.ts): the model from the
 * account's own list (`GET {account}/models`, `openai list-models`), a deployment type (SKU) the model offers and its capacity.
 */
export function CreateDeployment({ accountId, onCreated, onClose }: { accountId: string; onCreated: () => void; onClose: () => void }) {
  const models = useLoad(async () => list(await call('GET', `${accountId}/models`, API.cognitive)), [accountId]);
  const [name, setName] = useState('');
  const [modelKey, setModelKey] = useState('');
  const [skuName, setSkuName] = useState('Standard');
  const [capacity, setCapacity] = useState('');
  const { busy, error, run } = useAction();
  const keyOf = (m: Json) => `${str(m['name'])}@${str(m['version'])}`;
  const model = useMemo(() => models.data?.find((m) => keyOf(m) === modelKey), [models.data, modelKey]);
  const skus = (Array.isArray(model?.['skus']) ? (model['skus'] as Json[]) : []).map((s) => str(s['name']));
  const sku = (model?.['skus'] as Json[] | undefined)?.find((s) => str(s['name']) === skuName);
  const limits = { min: Number(pick(sku, 'capacity', 'minimum') ?? 1), max: Number(pick(sku, 'capacity', 'maximum') ?? 1000000), default: Number(pick(sku, 'capacity', 'default') ?? 1000) };
  const units = capacity === '' ? limits.default : Number(capacity);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (model === undefined) return;
    await run(async () => {
      const body = { sku: { name: skuName, capacity: units }, properties: { model: { format: str(model['format']) || 'OpenAI', name: str(model['name']), version: str(model['version']) } } };
      await putAndWait(`${accountId}/deployments/${encodeURIComponent(name)}`, API.cognitive, body);
      setName('');
      onCreated();
    });
  };
  const chooseModel = (key: string) => {
    setModelKey(key);
    const next = models.data?.find((m) => keyOf(m) === key);
    const offered = (Array.isArray(next?.['skus']) ? (next['skus'] as Json[]) : []).map((s) => str(s['name']));
    if (!offered.includes(skuName) && offered[0] !== undefined) setSkuName(offered[0]);
    setCapacity('');
  };

  return (
    <form class="card create-form" onSubmit={(e) => void submit(e)} aria-label="Create a deployment">
      <h3>Create a deployment</h3>
      <ErrorBox error={models.error ?? error} />
      <div class="form-grid">
        <label for="deployment-name">Deployment name</label>
        <input id="deployment-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required autoComplete="off" />
        <label for="deployment-model">Model</label>
        <select id="deployment-model" value={modelKey} onChange={(e) => chooseModel((e.target as HTMLSelectElement).value)} required>
          <option value="">{models.loading ? 'Loading models…' : 'Select a model…'}</option>
          {models.data?.map((m) => (
            <option key={keyOf(m)} value={keyOf(m)}>
              {str(m['name'])} ({str(m['version'])}){m['isDefaultVersion'] === true ? ', default version' : ''}
            </option>
          ))}
        </select>
        <label for="deployment-sku">Deployment type</label>
        <select id="deployment-sku" value={skuName} onChange={(e) => setSkuName((e.target as HTMLSelectElement).value)}>
          {(skus.length > 0 ? skus : [skuName]).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label for="deployment-capacity">Capacity (units)</label>
        <input
          id="deployment-capacity"
          type="number"
          min={limits.min}
          max={limits.max}
          step={1}
          value={capacity}
          placeholder={String(limits.default)}
          aria-describedby="deployment-capacity-help"
          onInput={(e) => setCapacity((e.target as HTMLInputElement).value)}
        />
      </div>
      <p id="deployment-capacity-help" class="muted small">
        {Number.isFinite(units) && units > 0 ? `${units.toLocaleString('en-US')} units = ${capacityMeaning(units)}. ` : ''}
        Each unit is 1,000 tokens and 6 requests per minute: the deployment's rate limit. Azure takes it from the subscription's quota for this model and type in the region; Keyless has no subscription-wide quota, only the SKU's bounds.
      </p>
      <div class="actions">
        <button type="submit" disabled={busy || name === '' || model === undefined}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
