import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { ProviderChoices } from '../agent/provider-choice.ts';
import type { AppConfig } from '../core/config.ts';
import { loadProviderEnvironment } from '../providers/provider-environment.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { detectBackends } from '../sandbox/detect-backends.ts';
import { limitEnforcement, resourceLimitLines } from '../sandbox/resource-limits.ts';
import { configPath, loadAppConfig } from '../server/app-config.ts';
import type { PostgresLocation } from '../store/engines/database-url.ts';
import { openPostgres } from '../store/engines/postgres-engine.ts';
import { POSTGRES_SCHEMA_VERSION } from '../store/engines/postgres-migrations.ts';
import { SCHEMA_VERSION } from '../store/migrations.ts';
import { databasePath, openDatabase, schemaVersion } from '../store/open-database.ts';
import { defaultConfigDir, resolveDataDir } from './paths.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP } from './store-choice.ts';

const MODELS_SHOWN = 8;

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('report which model providers answer and which sandbox backends work here, and why not')
    .option('--data-dir <dir>', 'the data dir to check (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .action(async (flags: { dataDir?: string; database?: string }) => {
      const lines: string[] = [];
      const dataDir = resolveDataDir(flags.dataDir);
      const configDir = defaultConfigDir();
      lines.push(`Node ${process.version}`);
      lines.push(`Data dir   ${dataDir}`);
      lines.push(...(await storeLines(flags.database, dataDir)));
      let config: AppConfig;
      try {
        config = loadAppConfig(configDir);
        lines.push(
          `Config     ${existsSync(configPath(configDir)) ? configPath(configDir) : `none (defaults; create ${configPath(configDir)})`}`,
        );
      } catch (error) {
        lines.push(`Config     ✗ ${(error as Error).message}`);
        config = { defaults: {}, providers: {} };
      }

      const registry = new ProviderRegistry({
        config,
        environment: loadProviderEnvironment({ env: process.env, homeDir: homedir() }),
      });
      const choices = new ProviderChoices(registry, config);
      const [statuses, selection, backends] = await Promise.all([
        choices.statuses(),
        choices.defaultSelection(),
        detectBackends(),
      ]);
      lines.push('', 'Model providers');
      for (const status of statuses) {
        const mark = status.available ? '✓' : '✗';
        const models = status.models.map((model) => model.id);
        const shown =
          models.slice(0, MODELS_SHOWN).join(', ') +
          (models.length > MODELS_SHOWN ? `, … (${models.length})` : '');
        const detail = !status.available
          ? status.error
          : status.type === 'human'
            ? 'always (you write the assistant turns)'
            : status.type === 'llama-cpp'
              ? 'in process; give a GGUF file path as the model'
              : models.length > 0
                ? shown
                : 'answers; no models listed';
        lines.push(`  ${mark} ${status.id.padEnd(18)} ${detail}`);
      }
      lines.push(
        `  New conversations use: ${selection.provider}${selection.model === null ? '' : ` / ${selection.model}`} (${selection.reason})`,
      );
      if (selection.banner !== null) lines.push(`  ${selection.banner}`);
      lines.push('', 'Sandbox backends');
      for (const backend of backends) {
        lines.push(`  ${backend.available ? '✓' : '✗'} ${backend.sandbox.padEnd(18)} ${backend.detail}`);
        if (backend.available && backend.network !== undefined)
          lines.push(`    ${''.padEnd(18)} ${backend.network}`);
      }
      lines.push('', ...resourceLimitLines(await limitEnforcement()));
      console.log(lines.join('\n'));
    });
}

/**
 * Which engine holds the store and whether it can be used: for PostgreSQL a connection is tried (the typed
 * error says what to fix), and the schema version read without migrating anything.
 */
async function storeLines(flag: string | undefined, dataDir: string): Promise<string[]> {
  let choice: ReturnType<typeof chooseStore>;
  try {
    choice = chooseStore(flag);
  } catch (error) {
    return [`Store      ✗ ${(error as Error).message}`];
  }
  if (choice.engine === 'postgres') {
    return [
      `Store      PostgreSQL (${flag === undefined || flag.trim() === '' ? 'MP_DATABASE_URL' : '--database'})`,
      await postgresLine(choice),
    ];
  }
  const lines = ['Store      SQLite in the data dir (--database or MP_DATABASE_URL for PostgreSQL)'];
  const dbPath = databasePath(dataDir);
  if (!existsSync(dbPath)) return [...lines, `Database   none yet (created by \`mp serve\` at ${dbPath})`];
  try {
    const db = openDatabase(dbPath, { targetVersion: 0 });
    const version = schemaVersion(db);
    db.close();
    const note = version < SCHEMA_VERSION ? ', migrated on next start' : '';
    return [...lines, `Database   ${dbPath} (schema ${version} of ${SCHEMA_VERSION}${note})`];
  } catch (error) {
    return [...lines, `Database   ✗ ${(error as Error).message}`];
  }
}

async function postgresLine(location: PostgresLocation): Promise<string> {
  try {
    // Target version 0: only the version is read (and its bookkeeping table made); the tables wait for serve.
    const engine = await openPostgres(location, { targetVersion: 0, connectTimeoutMs: 5_000 });
    await engine.close();
    const version = engine.migration.from;
    const note =
      version === 0
        ? ', empty: `mp serve` creates the tables'
        : version < POSTGRES_SCHEMA_VERSION
          ? ', migrated on next start'
          : '';
    return `Database   ${location.display} (schema ${version} of ${POSTGRES_SCHEMA_VERSION}${note})`;
  } catch (error) {
    return `Database   ✗ ${(error as Error).message}`;
  }
}
