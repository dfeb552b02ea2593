import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={160} height={24} />
      </div>
      <SkeletonTable label="Loading identities…" rows={12} columns={7} />
    </>
  );
}
