/** Where the engine's progress and problems go: the CLI prints them, tests collect them. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}
