import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={360} height={24} />
      </div>
      <SkeletonBlock height={40} />
      <SkeletonTable label="Loading the fix wizard…" rows={6} columns={2} />
    </>
  );
}
