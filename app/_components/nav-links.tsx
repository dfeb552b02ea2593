"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/", label: "Overview", match: (p: string) => p === "/" },
  { href: "/identities", label: "Identities", match: (p: string) => p === "/identities" || p.startsWith("/identities/") },
  { href: "/findings", label: "Findings", match: (p: string) => p === "/findings" || p.startsWith("/findings/") },
  { href: "/graph", label: "Graph", match: (p: string) => p === "/graph" || p.startsWith("/graph/") },
  { href: "/changes", label: "Changes", match: (p: string) => p === "/changes" || p.startsWith("/changes/") },
  { href: "/scans", label: "History", match: (p: string) => p === "/scans" || p.startsWith("/scans/") },
] as const;

export function NavLinks() {
  const pathname = usePathname() ?? "/";
  return (
    <nav className="nav" aria-label="Main">
      {links.map((link) => (
        <Link key={link.href} href={link.href} aria-current={link.match(pathname) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
