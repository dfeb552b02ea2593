export interface Layer {
  name: string;
  paths: string[];
  may: string[];
  pure?: boolean;
  noSdk?: boolean;
  deny?: string[];
  why: string;
}
export const layers: Layer[];
export const ioModules: string[];
export const ioPackagePrefixes: string[];
export function isTestFile(file: string): boolean;
export function layerOf(file: string): Layer | undefined;
export function layerViolation(from: string, to: string): string | undefined;
export function impurity(from: string, specifier: string): string | undefined;
