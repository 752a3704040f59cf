import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the providers may know of the machine, gathered once at the edge and passed down. */
export interface ProviderEnvironment {
  env: Record<string, string | undefined>;
  /** The original app's key file (`~/.config/ModelProgrammer/API_key.txt`), read once; null when absent. */
  legacyOpenAIKey: string | null;
}

/** Where the original Python/Qt app kept its OpenAI key; its users keep working without setting anything. */
export function legacyKeyPath(homeDir: string): string {
  return join(homeDir, '.config', 'ModelProgrammer', 'API_key.txt');
}

/**
 * Reads what providers need from the outside, for the CLI/server to call once.
 *
 * @example loadProviderEnvironment({ env: process.env, homeDir: os.homedir() })
 */
export function loadProviderEnvironment(options: {
  env: Record<string, string | undefined>;
  homeDir: string;
}): ProviderEnvironment {
  let legacyOpenAIKey: string | null = null;
  try {
    const text = readFileSync(legacyKeyPath(options.homeDir), 'utf8').trim();
    if (text !== '') legacyOpenAIKey = text;
  } catch {
    legacyOpenAIKey = null;
  }
  return { env: options.env, legacyOpenAIKey };
}
