"use client";

import { useEffect } from "react";
import { ErrorPanel } from "./error-panel";

/** The body of every route's error.tsx: log once in the browser console, offer a retry. */
export function RouteError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return <ErrorPanel title={title} error={error} onRetry={retry} />;
}
