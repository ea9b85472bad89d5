/** A blade's tabs, as links (each tab has its own address, so the browser's back button works). */
export function Tabs({ tabs, current }: { tabs: readonly { id: string; label: string; href: string }[]; current: string }) {
  return (
    <nav class="tabs" aria-label="Blade sections">
      {tabs.map((t) => (
        <a key={t.id} href={t.href} aria-current={t.id === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
