import { describe, expect, it } from "vitest";
import { pageWindow } from "./pagination";

describe("pageWindow", () => {
  it("shows every page when there are few", () => {
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
  });
  it("keeps first and last and marks gaps around the current page", () => {
    expect(pageWindow(50, 100)).toEqual([1, "gap", 48, 49, 50, 51, 52, "gap", 100]);
    expect(pageWindow(1, 100)).toEqual([1, 2, 3, "gap", 100]);
    expect(pageWindow(4, 100)).toEqual([1, 2, 3, 4, 5, 6, "gap", 100]);
  });
});
