import { SkeletonBlock } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={200} height={24} />
      </div>
      <div className="card section" aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading the identity graph…
        </p>
        <div style={{ padding: 16, display: "grid", gap: 12 }} aria-hidden="true">
          <SkeletonBlock width="60%" height={28} />
          <SkeletonBlock height={480} />
        </div>
      </div>
    </>
  );
}
