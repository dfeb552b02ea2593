import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={280} height={24} />
      </div>
      <SkeletonTable label="Loading the identity…" rows={4} columns={5} />
      <SkeletonTable rows={3} columns={5} />
    </>
  );
}
