import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={320} height={24} />
      </div>
      <SkeletonTable label="Loading the finding…" rows={3} columns={2} />
      <SkeletonTable rows={5} columns={2} />
    </>
  );
}
