import type { ReactNode } from "react";

/**
 * A region that scrolls on its own (a wide table on a phone, a long code block) instead of
 * widening the page. Focusable and named, so a keyboard can scroll it and a screen reader can
 * say what it is (WCAG 2.1.1, 1.4.10).
 */
export function ScrollRegion({ label, children, className = "table-wrap", id }: { label: string; children: ReactNode; className?: string; id?: string }) {
  return (
    <div className={`${className} scroll-region`} role="region" aria-label={label} tabIndex={0} id={id}>
      {children}
    </div>
  );
}
