export function resolveImport(root: string, fromFile: string, specifier: string): string | undefined;
export function toRepoPath(root: string, file: string): string;
