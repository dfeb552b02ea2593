import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { buildTestInventory } from "@/components/inventory/inventory.testing";
import { defaultIdentityQuery, listIdentityPage } from "@/components/identities/query";
import { buildIdentityRows } from "@/components/identities/rows";
import { IdentityTable } from "./identity-table";

function render(changes: Partial<typeof defaultIdentityQuery> = {}, mutate?: (inv: ReturnType<typeof buildTestInventory>) => void) {
  const inv = buildTestInventory();
  mutate?.(inv);
  const query = { ...defaultIdentityQuery, ...changes };
  const page = listIdentityPage(buildIdentityRows(inv), query);
  return renderToStaticMarkup(<IdentityTable rows={page.rows} query={query} caption="Identities" />);
}

describe("IdentityTable", () => {
  it("marks the sorted column with aria-sort and links its header to the opposite direction", () => {
    const html = render({ sort: "name", dir: "asc" });
    expect(html).toMatch(/<th scope="col" aria-sort="ascending"><a class="sort-link" href="\/identities\?sort=name&amp;dir=desc"/);
    // Sorting by the default (widest scope, ascending) needs no parameters at all.
    expect(html).toMatch(/aria-sort="none"><a class="sort-link" href="\/identities"/);
  });

  it("starts count columns descending and keeps filters in sort links, resetting the page", () => {
    const html = render({ kind: "app", page: 3 });
    expect(html).toContain('href="/identities?kind=app&amp;sort=assignments&amp;dir=desc"');
  });

  it("links each identity to its detail page and shows kind, widest scope and roles", () => {
    const html = render();
    expect(html).toContain('href="/identities/kubelet-1"');
    expect(html).toContain('data-kind="kubelet"');
    expect(html).toContain(">Resource group</div>");
    expect(html).toContain("AcrPull");
    expect(html).toContain("No role assignments");
  });

  it("renders hostile names as text", () => {
    const html = render({}, (inv) => {
      inv.identities[0]!.displayName = '<script>alert("x")</script>';
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
