import { basename } from 'node:path';
import type { Command } from 'commander';
import { importLegacyData, type LegacyImportProgress } from '../agent/legacy-import.ts';
import { legacyImportSummary } from '../core/legacy/import-summary.ts';
import { readLegacyDatabase } from '../store/legacy/legacy-reader.ts';
import { Store } from '../store/store.ts';
import { resolveDataDir } from './paths.ts';
import { progressBar } from './progress-bar.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP } from './store-choice.ts';

interface ImportFlags {
  dataDir?: string;
  database?: string;
}

export function registerImportCommand(program: Command): void {
  const importCommand = program
    .command('import')
    .description('bring data from elsewhere into ModelProgrammer');
  importCommand
    .command('legacy')
    .description(
      'import a database written by the original 2023 Python/Qt ModelProgrammer (importing again adds only what is new)',
    )
    .argument('<path>', "the original app's .db file (only read, never changed)")
    .option('--data-dir <dir>', 'where the database lives (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .action(async (path: string, flags: ImportFlags) => {
      // Read and check the whole file first: a file that is not a legacy database must not even create the
      // data dir (nor reach a PostgreSQL server).
      const database = chooseStore(flags.database);
      const legacy = readLegacyDatabase(path);
      const store = await Store.open(database, { dataDir: resolveDataDir(flags.dataDir) });
      const progress = progressBar('Importing {bar} {value}/{total} messages');
      try {
        const result = await importLegacyData({
          store,
          legacy,
          onProgress: ({ done, total }: LegacyImportProgress) => progress.update(done, total),
        });
        progress.stop();
        console.log(legacyImportSummary(result, basename(path), result.found.conversations));
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
