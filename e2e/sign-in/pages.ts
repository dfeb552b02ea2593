import { expect, type Page } from "@playwright/test";

/** The emulator's Entra sign-in form (emulator/sign-in.ts). */
export class EntraSignInForm {
  constructor(readonly page: Page) {}

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(this.page.getByText("Scopewise local emulator")).toBeVisible();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.expectShown();
    await this.page.getByLabel("Email or username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}

/** The signed-in person in the top bar. */
export class UserMenu {
  constructor(readonly page: Page) {}

  get signedInAs() {
    return this.page.getByRole("banner").getByText(/Signed in as/);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  }
}

export const users = {
  platformAdmin: { username: "dana.okafor@contoso.com", password: "demo-platform-admin", name: "Dana Okafor" },
  securityLead: { username: "alice.nguyen@contoso.com", password: "demo-security-lead", name: "Alice Nguyen" },
  reader: { username: "bob.schmidt@contoso.com", password: "demo-reader", name: "Bob Schmidt", subscription: "contoso-connectivity" },
} as const;

/** Opens a page, signs in on the emulator's form, and waits to be back on the dashboard. */
export async function signInAs(page: Page, user: { username: string; password: string; name: string }, path = "/"): Promise<void> {
  await page.goto(path);
  await new EntraSignInForm(page).signIn(user.username, user.password);
  await expect(new UserMenu(page).signedInAs).toContainText(user.name);
}
