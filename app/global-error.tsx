"use client";

import { RouteError } from "@/components/ui/route-error";
import "./globals.css";

/** Replaces the root layout when the layout itself fails, so it brings its own document. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="main" className="main">
          <RouteError title="Scopewise could not be shown" error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
