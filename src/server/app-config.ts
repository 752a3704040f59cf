import { existsSync, readFileSync } from 'node:fs';
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
