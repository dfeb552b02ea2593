import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ErrorPanel } from "./error-panel";

describe("ErrorPanel", () => {
  it("shows a client error's message and a retry button as an alert", () => {
    const html = renderToStaticMarkup(<ErrorPanel title="Identities could not be shown" error={new Error("rows is undefined")} onRetry={vi.fn()} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Identities could not be shown");
    expect(html).toContain("rows is undefined");
    expect(html).toMatch(/<button[^>]*type="button"[^>]*>Try again<\/button>/);
  });

  it("shows the digest of a server error instead of its (redacted) message", () => {
    const err = Object.assign(new Error("An error occurred in the Server Components render."), { digest: "4242" });
    const html = renderToStaticMarkup(<ErrorPanel title="t" error={err} onRetry={vi.fn()} />);
    expect(html).toContain("<code>4242</code>");
    expect(html).not.toContain("Server Components render");
    expect(html).toContain("Something went wrong while building this page");
  });

  it("renders untrusted error text as text, not markup", () => {
    const html = renderToStaticMarkup(<ErrorPanel title="t" error={new Error('<img src=x onerror="alert(1)">')} onRetry={vi.fn()} />);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
  });

  it("copes with a thrown non-Error value", () => {
    const html = renderToStaticMarkup(<ErrorPanel title="t" error="boom" onRetry={vi.fn()} />);
    expect(html).toContain("Try again");
  });
});
