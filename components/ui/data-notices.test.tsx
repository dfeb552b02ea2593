import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataNotices } from "./data-notices";

describe("DataNotices", () => {
  it("says nothing when the data is complete and current", () => {
    expect(renderToStaticMarkup(<DataNotices what="this list may be incomplete" />)).toBe("");
  });

  it("says the data is an older scan's when a rescan failed, with both times and the reason", () => {
    const html = renderToStaticMarkup(
      <DataNotices stale={{ failedAt: "2026-03-02T10:05:00.000Z", message: "ARM answered 503" }} scannedAt="2026-03-01T08:00:00.000Z" what="x" />,
    );
    expect(html).toContain("Showing an older scan");
    expect(html).toContain("2026-03-02 10:05 UTC");
    expect(html).toContain("ARM answered 503");
    expect(html).toContain("2026-03-01 08:00 UTC");
  });

  it("names what partial coverage means for the page", () => {
    const html = renderToStaticMarkup(<DataNotices errors={2} what="this list may be incomplete" />);
    expect(html).toMatch(/2 .*so this list may be incomplete/);
    expect(html).toContain('href="/"');
  });
});
