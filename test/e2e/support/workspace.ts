import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Creates a temporary folder holding `files` (relative path → content; folders are made as needed) and returns
 * its absolute path. The caller removes it (`rmSync(folder, { recursive: true, force: true })`).
 */
export function createWorkspace(files: Record<string, string>, prefix = 'pm-e2e-workspace-'): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [relativePath, content] of Object.entries(files)) {
    const file = path.join(folder, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return folder;
}
