import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataNotices } from "./data-notices";

describe("DataNotices", () => {
  it("says nothing when the data is complete and current", () => {
    expect(renderToStaticMarkup(<DataNotices what="this list may be incomplete" />)).toBe("");
  });

  it("names what partial coverage means for the page", () => {
    const html = renderToStaticMarkup(<DataNotices errors={2} what="this list may be incomplete" />);
    expect(html).toMatch(/2 .*so this list may be incomplete/);
    expect(html).toContain('href="/"');
  });
});
