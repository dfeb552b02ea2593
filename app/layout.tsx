import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { parseThemeChoice, THEME_COOKIE } from "@/components/ui/theme";
import { NavLinks } from "./_components/nav-links";
import { QueryProvider } from "./_components/query-provider";
import { ScanNoticeSlot } from "./_components/scan-notice-slot";
import { ScanStatus } from "./_components/scan-status";
import { ThemeSwitch } from "./_components/theme-switch";
import { UserMenu } from "./_components/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scopewise", template: "%s · Scopewise" },
  description: "What your AKS clusters' identities can really do, and how to cut it down safely.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme is rendered by the server from the cookie: the first paint is right, with no inline script.
  const theme = parseThemeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body>
        <QueryProvider>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {/* Shown only on pages with a list (an element with id "results"): see globals.css. */}
        <a className="skip-link skip-results" href="#results">
          Skip to results
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden="true" />
              Scopewise
            </Link>
            <NavLinks />
            <Suspense fallback={<div className="topbar-status muted">Loading the scan…</div>}>
              <ScanStatus />
            </Suspense>
            <ThemeSwitch initial={theme} />
            <Suspense fallback={null}>
              <UserMenu />
            </Suspense>
          </div>
        </header>
        <main id="main" className="main" tabIndex={-1}>
          <Suspense fallback={null}>
            <ScanNoticeSlot />
          </Suspense>
          {children}
        </main>
        </QueryProvider>
      </body>
    </html>
  );
}
