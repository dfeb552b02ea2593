"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { RenderFormat } from "@/lib/remediation/render";
import type { PreviewTab } from "./preview";

type CopyState = { format: RenderFormat; text: string } | undefined;

/**
 * The rendered plan per format as ARIA tabs (arrow keys move between tabs). Text is rendered
 * on the server and shown as text; Copy uses the clipboard API, Download the GET route.
 */
export function PreviewTabs({ tabs, initial }: { tabs: PreviewTab[]; initial: RenderFormat }) {
  const [active, setActive] = useState<RenderFormat>(initial);
  const [copied, setCopied] = useState<CopyState>();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();
  const current = tabs.find((t) => t.format === active) ?? tabs[0]!;

  function select(i: number) {
    const tab = tabs[(i + tabs.length) % tabs.length]!;
    setActive(tab.format);
    refs.current[(i + tabs.length) % tabs.length]?.focus();
    // Keep the choice in the URL so a reload or a shared link opens the same tab.
    const url = new URL(window.location.href);
    url.searchParams.set("format", tab.format);
    window.history.replaceState(window.history.state, "", url);
  }

  function onKey(e: KeyboardEvent, i: number) {
    if (e.key === "ArrowRight") select(i + 1);
    else if (e.key === "ArrowLeft") select(i - 1);
    else if (e.key === "Home") select(0);
    else if (e.key === "End") select(tabs.length - 1);
    else return;
    e.preventDefault();
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(current.text);
      setCopied({ format: current.format, text: "Copied" });
    } catch (err) {
      setCopied({ format: current.format, text: `Could not copy: ${(err as Error).message}` });
    }
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label="Formats">
        {tabs.map((t, i) => (
          <button
            key={t.format}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.format}`}
            aria-controls={`${base}-panel-${t.format}`}
            aria-selected={t.format === current.format}
            tabIndex={t.format === current.format ? 0 : -1}
            data-applicable={t.applicable}
            title={t.applicable ? undefined : "Not applicable to this plan"}
            onClick={() => select(i)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${current.format}`} aria-labelledby={`${base}-tab-${current.format}`}>
        {current.applicable ? (
          <>
            <div className="tab-actions">
              <button type="button" className="button button-small" onClick={copy}>
                Copy
              </button>
              <a className="button button-small" href={current.downloadHref} download={current.fileName}>
                Download {current.fileName}
              </a>
              <span className="inline-status" role="status" aria-live="polite">
                {copied?.format === current.format ? copied.text : ""}
              </span>
            </div>
            {/* A region of its own: it scrolls, so the keyboard must be able to reach and scroll it. */}
            <pre className="code rendered" role="region" aria-label={`${current.label} rendering`} tabIndex={0}>
              <code>{current.text}</code>
            </pre>
          </>
        ) : (
          <p className="callout callout-info">{current.text}</p>
        )}
      </div>
    </div>
  );
}
