import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface TabSpec {
  id: string;
  label: string;
}

/**
 * In-page tabs with the ARIA tabs pattern: one tab in the Tab order (the selected one), arrow keys,
 * Home and End move and select (automatic activation), and the panel is labelled by its tab.
 * Blade sections that have their own address use components/tabs.tsx (links) instead.
 */
export function Tablist(props: { idPrefix: string; label: string; tabs: readonly TabSpec[]; selected: string; onSelect: (id: string) => void; children: ComponentChildren }) {
  const list = useRef<HTMLDivElement>(null);
  const tabId = (id: string) => `${props.idPrefix}-tab-${id}`;
  const panelId = `${props.idPrefix}-panel`;
  const move = (event: KeyboardEvent) => {
    const index = props.tabs.findIndex((t) => t.id === props.selected);
    const last = props.tabs.length - 1;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = props.tabs[(next + props.tabs.length) % props.tabs.length];
    if (target === undefined) return;
    props.onSelect(target.id);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(tabId(target.id))}`)?.focus();
  };
  const current = props.tabs.find((t) => t.id === props.selected) ?? props.tabs[0];
  return (
    <>
      <div class="tablist" role="tablist" aria-label={props.label} ref={list} onKeyDown={move}>
        {props.tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === props.selected}
            aria-controls={panelId}
            tabIndex={t.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={current === undefined ? undefined : tabId(current.id)} tabIndex={0} class="tabpanel">
        {props.children}
      </div>
    </>
  );
}
