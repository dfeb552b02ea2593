"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ErrorBoundary({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError title="The alerts could not be shown" error={error} retry={retry} />;
}
