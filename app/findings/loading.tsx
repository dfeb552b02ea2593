import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={160} height={24} />
      </div>
      <div className="stat-grid section" aria-hidden="true">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="card stat">
            <SkeletonBlock width={70} height={12} />
            <SkeletonBlock width={40} height={24} />
          </div>
        ))}
      </div>
      <SkeletonTable label="Evaluating findings…" rows={12} columns={6} />
    </>
  );
}
