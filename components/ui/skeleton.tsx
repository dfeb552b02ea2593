/** Placeholder shapes shown while a route streams; hidden from assistive tech, which gets one status line. */
export function SkeletonBlock({ width = "100%", height = 14 }: { width?: string | number; height?: number }) {
  return <div className="skeleton" style={{ width, height }} aria-hidden="true" />;
}

/** `label` is announced once per page; secondary skeletons on the same page leave it out. */
export function SkeletonTable({ rows = 8, columns = 6, label }: { rows?: number; columns?: number; label?: string }) {
  return (
    <div className="card section" aria-busy="true">
      {label ? (
        <p className="visually-hidden" role="status">
          {label}
        </p>
      ) : null}
      <div className="section-header">
        <SkeletonBlock width={180} height={16} />
      </div>
      <div style={{ padding: "12px 16px", display: "grid", gap: 12 }} aria-hidden="true">
        {Array.from({ length: rows }, (_, r) => (
          <div key={r} style={{ display: "grid", gridTemplateColumns: `2fr repeat(${columns - 1}, 1fr)`, gap: 16 }}>
            {Array.from({ length: columns }, (_, c) => (
              <SkeletonBlock key={c} width={c === 0 ? "80%" : "60%"} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
