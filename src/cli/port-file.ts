import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `DATA_DIR/port`: the port `mp serve` listens on, so `mp url` can print a link to the right instance when the
 * default port was taken and the server moved on. Not a secret (anyone can list listening ports).
 */
export function portFilePath(dataDir: string): string {
  return join(dataDir, 'port');
}

export function writePortFile(dataDir: string, port: number): void {
  writeFileSync(portFilePath(dataDir), `${port}\n`, { mode: 0o600 });
}

/** Removes the file if it still names `port` (a newer instance may have written its own). */
export function removePortFile(dataDir: string, port: number): void {
  if (readPortFile(dataDir) === port) rmSync(portFilePath(dataDir), { force: true });
}

export function readPortFile(dataDir: string): number | undefined {
  const path = portFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  const port = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(port) && port > 0 && port <= 65_535 ? port : undefined;
}
