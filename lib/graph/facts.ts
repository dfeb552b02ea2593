import type { GraphFact } from "./types";

/** One side-panel fact, or none when the value is missing: the panel never shows empty rows. */
export const fact = (label: string, value: string | number | boolean | undefined | null): GraphFact[] =>
  value === undefined || value === null || value === "" ? [] : [{ label, value: String(value) }];
