import { useState } from 'preact/hooks';
import { API, call, list, str } from '../api.js';
import { groupOf, subscriptionId } from '../arm.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { CreateResource } from './create-resource.js';
import { LOCATIONS } from './locations.js';
import { ResourceTable } from './resource-table.js';

/** Home: the subscription, its resource groups and their resources; create and delete groups and resources. */
export function Home() {
  const state = useLoad(async () => {
    const sub = await subscriptionId();
    const [groups, resources] = await Promise.all([
      call('GET', `/subscriptions/${sub}/resourcegroups`, API.groups),
      call('GET', `/subscriptions/${sub}/resources`, API.groups),
    ]);
    return { sub, groups: list(groups), resources: list(resources) };
  }, []);
  const [name, setName] = useState('');
  const [location, setLocation] = useState('eastus');
  const { busy, error, run } = useAction();
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const [creatingIn, setCreatingIn] = useState<string | undefined>(undefined);

  const create = async (event: Event) => {
    event.preventDefault();
    if (state.data === undefined) return;
    const { sub } = state.data;
    await run(async () => {
      await call('PUT', `/subscriptions/${sub}/resourcegroups/${encodeURIComponent(name)}`, API.groups, { location });
      setName('');
      state.reload();
    });
  };
  const remove = async (group: string) => {
    if (state.data === undefined) return;
    const { sub } = state.data;
    setDeleting(undefined);
    await run(
      async () => {
        await call('DELETE', `/subscriptions/${sub}/resourcegroups/${encodeURIComponent(group)}`, API.groups);
        state.reload();
      },
      { busy: false },
    );
  };

  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Resource groups</h1>
      {state.data && (
        <p class="muted">
          Subscription <code>{state.data.sub}</code> · <a href={href.iam(`/subscriptions/${state.data.sub}`)}>Access control (IAM)</a>
        </p>
      )}
      <ErrorBox error={state.error ?? error} />
      <form class="inline-form" onSubmit={(e) => void create(e)} aria-label="Create a resource group">
        <label>
          Name
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required pattern="[-\w._()]{1,90}" />
        </label>
        <label>
          Region
          <select value={location} onChange={(e) => setLocation((e.target as HTMLSelectElement).value)}>
            {LOCATIONS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || name === ''}>
          Create resource group
        </button>
      </form>
      {state.loading && <p aria-live="polite">Loading…</p>}
      {state.data?.groups.map((group) => {
        const gname = str(group['name']);
        const resources = state.data?.resources.filter((r) => groupOf(str(r['id']))?.toLowerCase() === gname.toLowerCase()) ?? [];
        return (
          <article key={gname} class="group" aria-labelledby={`group-${gname}`}>
            <header class="group-header">
              <h2 id={`group-${gname}`}>{gname}</h2>
              <span class="muted">{str(group['location'])}</span>
              <a href={href.iam(str(group['id']))}>Access control (IAM)</a>
              <button type="button" class="create-toggle" aria-expanded={creatingIn === gname} onClick={() => setCreatingIn(creatingIn === gname ? undefined : gname)}>
                + Create a resource<span class="visually-hidden"> in {gname}</span>
              </button>
              <button type="button" class="danger" onClick={() => setDeleting(gname)} aria-label={`Delete resource group ${gname}`}>
                Delete
              </button>
            </header>
            {creatingIn === gname && state.data && (
              <CreateResource
                sub={state.data.sub}
                group={gname}
                groupLocation={str(group['location'])}
                identities={state.data.resources.filter((r) => str(r['type']).toLowerCase() === 'microsoft.managedidentity/userassignedidentities')}
                onCreated={state.reload}
                onClose={() => setCreatingIn(undefined)}
              />
            )}
            <ResourceTable group={gname} resources={resources} onChanged={state.reload} />
          </article>
        );
      })}
      {deleting !== undefined && (
        <Confirm title={`Delete resource group ${deleting}?`} action="Delete" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(undefined)}>
          <p>
            Every resource in <strong>{deleting}</strong> is deleted with it: web apps, VMs, user-assigned identities and the role assignments on them. OpenAI accounts are
            soft-deleted, as in Azure: kept 48 hours with their keys and deployments (<code>keyless openai list-deleted</code>, <code>recover</code>, <code>purge</code>), then
            gone. System-assigned identities are deleted too, so their access ends everywhere.
          </p>
        </Confirm>
      )}
    </section>
  );
}
