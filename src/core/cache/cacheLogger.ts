/**
 * The logging the client and cache need. Matches a subset of VS Code's `LogOutputChannel` and of `console`,
 * so either can be passed in. Messages never contain keys or prompt text.
 */
export interface CacheLogger {
  warn(message: string): void;
  debug?(message: string): void;
}
