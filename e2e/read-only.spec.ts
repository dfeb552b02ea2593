import { expect, request as apiRequest, test } from "@playwright/test";
import { evaluateRules } from "@/lib/rules/evaluate";
import { WizardPage } from "./pages/wizard";
import { expectedInventory } from "./support/expected";
import { ownPort, startOwnDemo, type OwnDemo } from "./support/own-demo";

/** A demo served with --read-only on its own port (E2E_READ_ONLY_PORT, default E2E_PORT + 3): no apply, undo or finish, rescan kept. */
const port = ownPort("E2E_READ_ONLY_PORT", 3);
let demo: OwnDemo | undefined;

test.describe.serial("a read-only server", () => {
  test.setTimeout(120_000);
  test.use({ baseURL: `http://localhost:${port}` });

  test.beforeAll(async () => {
    test.setTimeout(660_000);
    demo = await startOwnDemo(port, ["--read-only"]);
    expect(demo.output).toContain("read-only: applying, undoing and finishing changes are turned off");
  });

  test.afterAll(async () => {
    await demo?.stop();
  });

  test("has no apply, undo or finish routes, keeps the audit log and rescans", async () => {
    const api = await apiRequest.newContext({ baseURL: demo!.origin });
    const { token } = (await (await api.get("/api/csrf")).json()) as { token: string };
    const headers = { "x-csrf-token": token, origin: demo!.origin };
    const finding = evaluateRules(await expectedInventory()).find((f) => f.ruleId === "subscription-scope-grant")!;
    const apply = await api.post("/api/changes", { headers, data: { findingId: finding.id, planId: finding.fixes[0]!.id, confirm: true } });
    expect(apply.status()).toBe(405);
    expect(apply.headers()["allow"]).toBe("GET");
    for (const action of ["undo", "finish"]) {
      expect((await api.post(`/api/changes/6f1c2b1e-2f3a-4b5c-8d9e-0a1b2c3d4e5f/${action}`, { headers, data: { confirm: true } })).status()).toBe(404);
    }
    expect((await api.get("/api/changes")).status()).toBe(200);
    // A scan only reads: it starts (202) or joins the running one (200).
    expect([200, 202]).toContain((await api.post("/api/rescan", { headers, data: {} })).status());
    await api.dispose();
  });

  test("the wizard offers the preview but no Apply step", async ({ page }) => {
    const finding = evaluateRules(await expectedInventory()).find((f) => f.ruleId === "acr-scope-too-broad")!;
    const wizard = new WizardPage(page, finding.id);
    await wizard.goto("?step=apply");
    await expect(page.getByText(/runs read-only/).first()).toBeVisible();
    await expect(wizard.apply).toHaveCount(0);
    await expect(wizard.confirm).toHaveCount(0);
    await wizard.goto("?step=preview");
    await expect(wizard.tabs).toBeVisible();
  });
});
