import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hclParser, readTerraformDir } from "@/lib/scan/terraform-files";
import { joinPath, locateIn } from "./hcl-sources";
import { IacInputError } from "./input-error";

const seed = path.join(__dirname, "testdata/seed");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-hcl-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The 1-based line where `needle` starts in a fixture file, found independently of the parser. */
function lineOf(file: string, needle: string): number {
  const text = fs.readFileSync(path.join(seed, file), "utf8");
  const at = text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split("\n").length;
}

async function failure(p: Promise<unknown>): Promise<IacInputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IacInputError) return e;
    throw e;
  }
  throw new Error("expected an IacInputError");
}

describe("HCL locations", () => {
  it("gives each resource block its file and line, following local module sources", async () => {
    const locate = locateIn(await readTerraformDir(seed));
    expect(locate("module.aks.azurerm_role_assignment.acr_pull")).toEqual({
      file: "modules/aks/role_assignments.tf",
      line: lineOf("modules/aks/role_assignments.tf", 'resource "azurerm_role_assignment" "acr_pull"'),
    });
    // Instance keys are ignored: one block makes every instance.
    expect(locate('azurerm_federated_identity_credential.app["web"]')).toEqual({
      file: "apps.tf",
      line: lineOf("apps.tf", 'resource "azurerm_federated_identity_credential" "app"'),
    });
    expect(locate("module.aks")).toEqual({ file: "main.tf", line: lineOf("main.tf", 'module "aks"') });
    expect(locate("azurerm_role_assignment.nowhere")).toBeUndefined();
  });

  it("keeps lines right past heredocs and braces inside strings", async () => {
    const parser = await hclParser();
    const text = 'locals {\n  x = <<EOT\n}\nresource "a" "b" {\nEOT\n  y = "}{"\n}\n\nresource "azurerm_role_assignment" "r" {\n  scope = "/"\n}\n';
    const file = parser.parse("odd.tf", text);
    expect(file.blocks.map((b) => [b.type, b.labels.join("."), b.line])).toEqual([
      ["locals", "", 1],
      ["resource", "azurerm_role_assignment.r", 9],
    ]);
  });

  it("refuses a directory without .tf files", async () => {
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, "README.md"), "no terraform here\n");
    const e = await failure(readTerraformDir(empty));
    expect(e.message).toMatch(/empty: has no \.tf files/);
  });

  it("refuses HCL that does not parse, with the file and line", async () => {
    const dir = path.join(tmp, "broken");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "ok.tf"), 'resource "azurerm_resource_group" "rg" {\n  name = "rg"\n}\n');
    fs.writeFileSync(path.join(dir, "roles.tf"), 'resource "azurerm_role_assignment" "a" {\n  scope = "/subscriptions/x"\n  role_definition_name = \n}\n');
    const e = await failure(readTerraformDir(dir));
    expect(e.file).toBe("roles.tf");
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^roles\.tf:3: HCL does not parse/);
  });

  it("refuses a module whose local source is missing, at the module block", async () => {
    const dir = path.join(tmp, "missing-module");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "main.tf"), '\nmodule "aks" {\n  source = "./modules/aks"\n}\n');
    const e = await failure(readTerraformDir(dir));
    expect(e.message).toBe('main.tf:2: module "aks" source "./modules/aks" is not a directory');
  });

  it("joins module paths", () => {
    expect(joinPath(".", "./modules/aks")).toBe("modules/aks");
    expect(joinPath("modules/aks", "../net")).toBe("modules/net");
    expect(joinPath(".", "../shared")).toBe("../shared");
  });
});
