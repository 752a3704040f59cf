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
import { SCHEMA_VERSION } from '../store/migrations.ts';
import { databasePath, openDatabase, schemaVersion } from '../store/open-database.ts';
import { defaultConfigDir, resolveDataDir } from './paths.ts';

const MODELS_SHOWN = 8;

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('report which model providers answer and which sandbox backends work here, and why not')
    .option('--data-dir <dir>', 'the data dir to check (default MP_DATA_DIR or the XDG data dir)')
    .action(async (flags: { dataDir?: string }) => {
      const lines: string[] = [];
      const dataDir = resolveDataDir(flags.dataDir);
      const configDir = defaultConfigDir();
      lines.push(`Node ${process.version}`);
      lines.push(`Data dir   ${dataDir}`);
      const dbPath = databasePath(dataDir);
      if (existsSync(dbPath)) {
        try {
          const db = openDatabase(dbPath, { targetVersion: 0 });
          const version = schemaVersion(db);
          db.close();
          const note = version < SCHEMA_VERSION ? ', migrated on next start' : '';
          lines.push(`Database   ${dbPath} (schema ${version} of ${SCHEMA_VERSION}${note})`);
        } catch (error) {
          lines.push(`Database   ✗ ${(error as Error).message}`);
        }
      } else {
        lines.push(`Database   none yet (created by \`mp serve\` at ${dbPath})`);
      }
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
