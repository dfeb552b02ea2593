import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { NavLinks } from "./_components/nav-links";
import { QueryProvider } from "./_components/query-provider";
import { ScanNoticeSlot } from "./_components/scan-notice-slot";
import { ScanStatus } from "./_components/scan-status";
import { UserMenu } from "./_components/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scopewise", template: "%s · Scopewise" },
  description: "What your AKS clusters' identities can really do, and how to cut it down safely.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>
        <a className="skip-link" href="#main">
          Skip to content
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
