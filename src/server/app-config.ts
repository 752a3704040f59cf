import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, EMPTY_CONFIG, parseConfig } from '../core/config.ts';
import { AppError } from '../core/errors.ts';

export class InvalidConfigError extends AppError {
  constructor(message: string) {
    super('invalid_config', `${message}; fix it or move it aside to start with defaults`);
    this.name = 'InvalidConfigError';
  }
}

export function configPath(configDir: string): string {
  return join(configDir, 'config.json');
}

/** The config file, read once at start; a missing file means defaults, a broken one stops with its problems. */
export function loadAppConfig(configDir: string): AppConfig {
  const path = configPath(configDir);
  if (!existsSync(path)) return EMPTY_CONFIG;
  const parsed = parseConfig(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new InvalidConfigError(parsed.message);
  return parsed.config;
}

/** Writes the config file readable by its owner only: it may hold API keys. */
export function saveAppConfig(configDir: string, config: AppConfig): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const path = configPath(configDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  // A rename is atomic: a crash leaves the old file or the new one, never half of either.
  renameSync(temporary, path);
}
