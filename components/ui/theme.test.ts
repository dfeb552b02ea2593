import { describe, expect, it } from "vitest";
import { parseThemeChoice } from "./theme";

describe("parseThemeChoice", () => {
  it("keeps light and dark, and treats anything else as the system's preference", () => {
    expect(parseThemeChoice("light")).toBe("light");
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice(undefined)).toBe("system");
    expect(parseThemeChoice('dark" onload="x')).toBe("system");
  });
});
