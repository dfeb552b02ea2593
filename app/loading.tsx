import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <div style={{ width: "100%" }}>
          <SkeletonBlock width={160} height={24} />
        </div>
      </div>
      <ul className="stat-grid section" aria-hidden="true">
        {Array.from({ length: 6 }, (_, i) => (
          <li key={i} className="card stat">
            <SkeletonBlock width="60%" />
            <SkeletonBlock width="40%" height={24} />
          </li>
        ))}
      </ul>
      <SkeletonTable label="Loading the overview…" rows={4} columns={8} />
    </>
  );
}
