import { describe, expect, it } from "vitest";
import { ConfigurationError, parseEnv } from "./env";

const demo = {
  SCOPEWISE_MODE: "demo",
  SCOPEWISE_ARM_ENDPOINT: "https://localhost:8443",
  SCOPEWISE_GRAPH_ENDPOINT: "https://localhost:8443",
  SCOPEWISE_AUTHORITY_HOST: "https://localhost:8443",
  SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  SCOPEWISE_CLIENT_ID: "scopewise-demo",
  SCOPEWISE_CLIENT_SECRET: "s3cret",
  SCOPEWISE_CA_FILE: "/tmp/ca.pem",
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

  it("rejects an unknown mode", () => {
    expect(() => parseEnv({ SCOPEWISE_MODE: "prod" })).toThrow(/SCOPEWISE_MODE/);
  });

  it("defaults azure mode to the public cloud endpoints and splits the subscription list", () => {
    const env = parseEnv({ SCOPEWISE_MODE: "azure", SCOPEWISE_SUBSCRIPTIONS: "a, b" });
    expect(env.SCOPEWISE_MODE === "azure" && env.SCOPEWISE_SUBSCRIPTIONS).toEqual(["a", "b"]);
    expect(env.SCOPEWISE_ARM_ENDPOINT).toBe("https://management.azure.com");
  });
});
