import { SkeletonBlock, SkeletonTable } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <div className="page-header">
        <SkeletonBlock width={200} height={24} />
      </div>
      <SkeletonTable label="Loading the alert deliveries…" rows={6} columns={5} />
    </>
  );
}
