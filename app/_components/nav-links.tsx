"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

const links = [
  { href: "/", label: "Overview", match: (p: string) => p === "/" },
  { href: "/identities", label: "Identities", match: (p: string) => p === "/identities" || p.startsWith("/identities/") },
  { href: "/findings", label: "Findings", match: (p: string) => p === "/findings" || p.startsWith("/findings/") },
  { href: "/graph", label: "Graph", match: (p: string) => p === "/graph" || p.startsWith("/graph/") },
  { href: "/changes", label: "Changes", match: (p: string) => p === "/changes" || p.startsWith("/changes/") },
  { href: "/scans", label: "History", match: (p: string) => p === "/scans" || p.startsWith("/scans/") },
  { href: "/alerts", label: "Alerts", match: (p: string) => p === "/alerts" },
] as const;

/**
 * The main navigation. On narrow screens it folds behind a Menu button once script runs
 * (before that, and without script, the links wrap onto their own row instead).
 */
export function NavLinks() {
  const pathname = usePathname() ?? "/";
  const [ready, setReady] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => setReady(true), []);
  // A followed link closes the menu.
  useEffect(() => setOpen(false), [pathname]);
  return (
    <div className="nav-wrap" data-ready={ready || undefined} data-open={open || undefined}>
      <button
        type="button"
        className="button button-small nav-toggle"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      <nav id="main-nav" className="nav" aria-label="Main">
        {links.map((link) => (
          <Link key={link.href} href={link.href} aria-current={link.match(pathname) ? "page" : undefined}>
            {link.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
