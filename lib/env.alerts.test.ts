import { describe, expect, it } from "vitest";
import { DEMO_ENV } from "@/lib/testing/demo-env";
import { parseEnv } from "./env";

const secret = "s".repeat(32);

describe("alert configuration", () => {
  it("reads webhook targets of each format, with labels that hide the URL's path and query", () => {
    const env = parseEnv({
      ...DEMO_ENV,
      SCOPEWISE_ALERT_WEBHOOKS: "slack:https://hooks.slack.com/services/T0/B0/XXXX, teams:https://prod.example.logic.azure.com/workflows/abc?sig=SECRET\nhttps://siem.example.com/in http://127.0.0.1:9999/hook",
      SCOPEWISE_ALERT_SECRET: secret,
      SCOPEWISE_ALERT_MIN_SEVERITY: "critical",
    });
    expect(env.SCOPEWISE_ALERT_WEBHOOKS!.map((t) => [t.format, t.label])).toEqual([
      ["slack", "slack https://hooks.slack.com (1)"],
      ["teams", "teams https://prod.example.logic.azure.com (2)"],
      ["json", "json https://siem.example.com (3)"],
      ["json", "json http://127.0.0.1:9999 (4)"],
    ]);
    expect(env.SCOPEWISE_ALERT_MIN_SEVERITY).toBe("critical");
    expect(parseEnv(DEMO_ENV).SCOPEWISE_ALERT_MIN_SEVERITY).toBe("high");
  });

  it("refuses at start a webhook that is not https (except to this machine), naming the variable and the entry", () => {
    const bad = (hooks: string) => () => parseEnv({ ...DEMO_ENV, SCOPEWISE_ALERT_WEBHOOKS: hooks, SCOPEWISE_ALERT_SECRET: secret });
    expect(bad("https://ok.example.com/a,http://hooks.example.com/b")).toThrow(
      /SCOPEWISE_ALERT_WEBHOOKS: entry 2 \(http:\/\/hooks\.example\.com\): must be an https:\/\/ URL \(http:\/\/ only for localhost, 127\.0\.0\.1 or \[::1\]\)/,
    );
    expect(bad("slack:http://localhost.evil.example/x")).toThrow(/SCOPEWISE_ALERT_WEBHOOKS: entry 1 .*must be an https/);
    expect(bad("pager:https://x.example.com")).toThrow(/SCOPEWISE_ALERT_WEBHOOKS: entry 1: "pager" is not a format/);
    expect(bad("ftp://x.example.com")).toThrow(/must be an https/);
    expect(bad("https://user:pw@x.example.com")).toThrow(/must not carry a user name or password/);
    expect(() => parseEnv({ ...DEMO_ENV, SCOPEWISE_ALERT_WEBHOOKS: "http://[::1]:8080/x", SCOPEWISE_ALERT_SECRET: secret })).not.toThrow();
  });

  it("requires a signing secret of 32+ characters with webhooks, and a known severity", () => {
    expect(() => parseEnv({ ...DEMO_ENV, SCOPEWISE_ALERT_WEBHOOKS: "https://x.example.com" })).toThrow(/SCOPEWISE_ALERT_SECRET: required when SCOPEWISE_ALERT_WEBHOOKS is set/);
    expect(() => parseEnv({ ...DEMO_ENV, SCOPEWISE_ALERT_SECRET: "short" })).toThrow(/SCOPEWISE_ALERT_SECRET: must be at least 32 characters/);
    expect(() => parseEnv({ ...DEMO_ENV, SCOPEWISE_ALERT_MIN_SEVERITY: "urgent" })).toThrow(/SCOPEWISE_ALERT_MIN_SEVERITY: must be one of critical, high, medium, low/);
  });
});
