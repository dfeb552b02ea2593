import { describe, expect, it } from "vitest";
import { DEMO_ENV } from "@/lib/testing/demo-env";
import { ConfigurationError, parseEnv, serveOptionsOf, serveProblems, signInSettings } from "./env";

const demo = DEMO_ENV;

/** A complete app registration for sign-in. */
const signIn = {
  SCOPEWISE_MODE: "azure",
  SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  SCOPEWISE_CLIENT_ID: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11",
  SCOPEWISE_CLIENT_SECRET: "app-secret-value",
  SCOPEWISE_REDIRECT_URI: "https://scopewise.contoso.com/auth/callback",
  SCOPEWISE_SESSION_SECRET: "x".repeat(32),
};

describe("parseEnv", () => {
  it("accepts a complete demo configuration", () => {
    const env = parseEnv(demo);
    expect(env.SCOPEWISE_MODE).toBe("demo");
    expect(env.SCOPEWISE_DATA_DIR).toBe(".data");
  });

  it("names the missing variable", () => {
    const { SCOPEWISE_CLIENT_SECRET: _omit, ...rest } = demo;
    expect(() => parseEnv(rest)).toThrow(ConfigurationError);
    expect(() => parseEnv(rest)).toThrow(/SCOPEWISE_CLIENT_SECRET/);
  });

  it("refuses an http endpoint, since bearer tokens must not travel in clear text", () => {
    expect(() => parseEnv({ ...demo, SCOPEWISE_ARM_ENDPOINT: "http://localhost:8443" })).toThrow(/SCOPEWISE_ARM_ENDPOINT: must be an https/);
  });

  it("reads the scan interval in minutes, and names a bad one", () => {
    expect(parseEnv({ ...demo, SCOPEWISE_SCAN_INTERVAL_MINUTES: "30" }).SCOPEWISE_SCAN_INTERVAL_MINUTES).toBe(30);
    expect(parseEnv(demo).SCOPEWISE_SCAN_INTERVAL_MINUTES).toBeUndefined();
    expect(() => parseEnv({ ...demo, SCOPEWISE_SCAN_INTERVAL_MINUTES: "0" })).toThrow(/SCOPEWISE_SCAN_INTERVAL_MINUTES: must be at least 1/);
    expect(() => parseEnv({ ...demo, SCOPEWISE_SCAN_INTERVAL_MINUTES: "hourly" })).toThrow(/SCOPEWISE_SCAN_INTERVAL_MINUTES: must be a whole number of minutes/);
    expect(() => parseEnv({ ...demo, SCOPEWISE_SCAN_INTERVAL_MINUTES: "1.5" })).toThrow(/SCOPEWISE_SCAN_INTERVAL_MINUTES: must be a whole number of minutes/);
  });

  it("refuses a scan interval with sign-in: every scan is then a signed-in person's", () => {
    const signIn = {
      SCOPEWISE_MODE: "azure",
      SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      SCOPEWISE_CLIENT_ID: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11",
      SCOPEWISE_CLIENT_SECRET: "app-secret",
      SCOPEWISE_REDIRECT_URI: "https://scopewise.contoso.com/auth/callback",
      SCOPEWISE_SESSION_SECRET: "0123456789abcdef0123456789abcdef0123",
    };
    expect(() => parseEnv(signIn)).not.toThrow();
    expect(() => parseEnv({ ...signIn, SCOPEWISE_SCAN_INTERVAL_MINUTES: "60" })).toThrow(/SCOPEWISE_SCAN_INTERVAL_MINUTES: scheduled scans read with the server's own credential/);
    expect(parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_SCAN_INTERVAL_MINUTES: "60" }).SCOPEWISE_SCAN_INTERVAL_MINUTES).toBe(60);
  });

  it("reads Terraform state paths as a list, and refuses an HCL directory without states", () => {
    const env = parseEnv({ ...demo, SCOPEWISE_TERRAFORM_STATES: "infra/prod.json, infra/states/", SCOPEWISE_TERRAFORM_DIR: "infra" });
    expect(env.SCOPEWISE_TERRAFORM_STATES).toEqual(["infra/prod.json", "infra/states/"]);
    expect(env.SCOPEWISE_TERRAFORM_DIR).toBe("infra");
    expect(parseEnv(demo).SCOPEWISE_TERRAFORM_STATES).toBeUndefined();
    expect(() => parseEnv({ ...demo, SCOPEWISE_TERRAFORM_DIR: "infra" })).toThrow(/SCOPEWISE_TERRAFORM_DIR: locates the blocks .* SCOPEWISE_TERRAFORM_STATES, which is not set/);
  });

  it("rejects an unknown mode", () => {
    expect(() => parseEnv({ SCOPEWISE_MODE: "prod" })).toThrow(/SCOPEWISE_MODE/);
  });

  it("defaults azure mode to the public cloud endpoints and splits the subscription list", () => {
    const env = parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_SUBSCRIPTIONS: "00000000-0000-0000-0000-00000000000a, 00000000-0000-0000-0000-00000000000b" });
    expect(env.SCOPEWISE_MODE === "azure" && env.SCOPEWISE_SUBSCRIPTIONS).toEqual(["00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"]);
    expect(env.SCOPEWISE_ARM_ENDPOINT).toBe("https://management.azure.com");
  });
});

describe("parseEnv: azure mode sign-in", () => {

  it("accepts a complete app registration and derives the sign-in settings", () => {
    const env = parseEnv(signIn);
    const settings = signInSettings(env);
    expect(settings?.clientId).toBe(signIn.SCOPEWISE_CLIENT_ID);
    expect(settings?.credential).toEqual({ kind: "secret", secret: "app-secret-value" });
    expect(settings?.authorityHost).toBe("https://login.microsoftonline.com");
  });

  it("runs single-user (no sign-in) when no app registration is configured", () => {
    expect(signInSettings(parseEnv({ SCOPEWISE_MODE: "azure" }))).toBeUndefined();
  });

  it("never derives sign-in settings in demo mode", () => {
    expect(signInSettings(parseEnv(demo))).toBeUndefined();
  });

  it.each(["SCOPEWISE_TENANT_ID", "SCOPEWISE_REDIRECT_URI", "SCOPEWISE_SESSION_SECRET"])("names %s when the app registration is set without it", (name) => {
    const { [name as keyof typeof signIn]: _omit, ...rest } = signIn;
    expect(() => parseEnv(rest)).toThrow(new RegExp(`${name}: required for sign-in`));
  });

  it("asks for a client secret or a certificate, and refuses both at once", () => {
    const { SCOPEWISE_CLIENT_SECRET: _s, ...noCredential } = signIn;
    expect(() => parseEnv(noCredential)).toThrow(/SCOPEWISE_CLIENT_SECRET or SCOPEWISE_CLIENT_CERTIFICATE_PATH: required/);
    expect(() => parseEnv({ ...signIn, SCOPEWISE_CLIENT_CERTIFICATE_PATH: "/etc/app.pem" })).toThrow(/set one, not both/);
    const cert = parseEnv({ ...noCredential, SCOPEWISE_CLIENT_CERTIFICATE_PATH: "/etc/app.pem" });
    expect(signInSettings(cert)?.credential).toEqual({ kind: "certificate", path: "/etc/app.pem" });
  });

  it("refuses a short session secret", () => {
    expect(() => parseEnv({ ...signIn, SCOPEWISE_SESSION_SECRET: "short" })).toThrow(/SCOPEWISE_SESSION_SECRET: must be at least 32 characters/);
  });

  it("refuses a client id that is not a GUID", () => {
    expect(() => parseEnv({ ...signIn, SCOPEWISE_CLIENT_ID: "my-app" })).toThrow(/SCOPEWISE_CLIENT_ID: must be the app registration's Application \(client\) ID/);
  });

  it("allows an http redirect URI only for localhost, and only to the callback route", () => {
    expect(() => parseEnv({ ...signIn, SCOPEWISE_REDIRECT_URI: "http://scopewise.contoso.com/auth/callback" })).toThrow(/SCOPEWISE_REDIRECT_URI: must be an https/);
    expect(parseEnv({ ...signIn, SCOPEWISE_REDIRECT_URI: "http://localhost:3000/auth/callback" }).SCOPEWISE_MODE).toBe("azure");
    expect(() => parseEnv({ ...signIn, SCOPEWISE_REDIRECT_URI: "https://scopewise.contoso.com/callback" })).toThrow(/must end in \/auth\/callback/);
  });

  it("refuses a multi-tenant authority for sign-in", () => {
    expect(() => parseEnv({ ...signIn, SCOPEWISE_TENANT_ID: "common" })).toThrow(/SCOPEWISE_TENANT_ID: must name one tenant/);
  });

  it("names the client id when sign-in settings are given without one", () => {
    expect(() => parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_SESSION_SECRET: "x".repeat(40) })).toThrow(/SCOPEWISE_CLIENT_ID: required when SCOPEWISE_SESSION_SECRET is set/);
  });

  it("checks subscription ids and the management group name", () => {
    expect(() => parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_SUBSCRIPTIONS: "prod" })).toThrow(/SCOPEWISE_SUBSCRIPTIONS: each entry must be a subscription id/);
    expect(() => parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_MANAGEMENT_GROUP: "a/b" })).toThrow(/SCOPEWISE_MANAGEMENT_GROUP: must be a management group name/);
    expect(parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_MANAGEMENT_GROUP: "landing-zones" })).toMatchObject({ SCOPEWISE_MANAGEMENT_GROUP: "landing-zones" });
  });

  it("treats an empty variable as unset", () => {
    expect(signInSettings(parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_CLIENT_ID: "" }))).toBeUndefined();
  });
});

describe("serving: who may reach the server", () => {
  const demoEnv = demo;
  const token = "t".repeat(40);
  const problems = (raw: Record<string, string>) => serveProblems(serveOptionsOf(parseEnv(raw)));

  it("serves a demo on this machine with nobody to authenticate", () => {
    expect(problems(demoEnv)).toEqual([]);
    expect(problems({ ...demoEnv, SCOPEWISE_LISTEN: "::1" })).toEqual([]);
    expect(problems({ ...demoEnv, SCOPEWISE_LISTEN: "localhost" })).toEqual([]);
  });

  it("refuses to serve beyond this machine while fixes can be applied and nobody authenticates", () => {
    for (const listen of ["0.0.0.0", "::", "192.168.1.10"]) {
      const p = problems({ ...demoEnv, SCOPEWISE_LISTEN: listen });
      expect(p.join("\n")).toMatch(new RegExp(`SCOPEWISE_LISTEN: ${listen.replace(/\./g, "\\.")} is reachable from other machines.*--launch-token.*sign-in.*--read-only`));
    }
    expect(problems({ ...demoEnv, SCOPEWISE_LISTEN: "0.0.0.0", SCOPEWISE_LAUNCH_TOKEN: token })).toEqual([]);
    expect(problems({ ...demoEnv, SCOPEWISE_LISTEN: "0.0.0.0", SCOPEWISE_READ_ONLY: "true" })).toEqual([]);
  });

  it("requires a launch token for a single user on Azure, wherever it listens", () => {
    expect(problems({ SCOPEWISE_MODE: "azure" }).join("\n")).toMatch(/SCOPEWISE_LAUNCH_TOKEN: required in azure mode without sign-in/);
    expect(problems({ SCOPEWISE_MODE: "azure", SCOPEWISE_READ_ONLY: "true" }).length).toBe(1);
    expect(problems({ SCOPEWISE_MODE: "azure", SCOPEWISE_LAUNCH_TOKEN: token, SCOPEWISE_LISTEN: "0.0.0.0" })).toEqual([]);
  });

  it("checks the launch token, read-only flag, port and public URL, and refuses a launch token with sign-in", () => {
    expect(() => parseEnv({ ...demoEnv, SCOPEWISE_LAUNCH_TOKEN: "short" })).toThrow(/SCOPEWISE_LAUNCH_TOKEN: must be 32-256 URL-safe characters/);
    expect(() => parseEnv({ ...demoEnv, SCOPEWISE_LAUNCH_TOKEN: `${token}&x=1` })).toThrow(/SCOPEWISE_LAUNCH_TOKEN/);
    expect(() => parseEnv({ ...demoEnv, SCOPEWISE_READ_ONLY: "yes" })).toThrow(/SCOPEWISE_READ_ONLY: must be "true" or "false"/);
    expect(() => parseEnv({ ...demoEnv, SCOPEWISE_PORT: "70000" })).toThrow(/SCOPEWISE_PORT: must be a port number/);
    expect(() => parseEnv({ ...demoEnv, SCOPEWISE_PUBLIC_URL: "https://scopewise.example.com/app" })).toThrow(/SCOPEWISE_PUBLIC_URL: must be an origin/);
    expect(() => parseEnv({ ...signIn, SCOPEWISE_LAUNCH_TOKEN: token })).toThrow(/SCOPEWISE_LAUNCH_TOKEN: not used with sign-in/);
    expect(parseEnv({ ...demoEnv, SCOPEWISE_READ_ONLY: "true" }).SCOPEWISE_READ_ONLY).toBe(true);
    expect(parseEnv(demoEnv).SCOPEWISE_READ_ONLY).toBe(false);
  });
});
