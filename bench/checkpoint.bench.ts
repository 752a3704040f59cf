/**
 * Checkpoint cost (issue 8 item 3, target < 100 ms): a workspace of 10,000 files in 100 folders, one file
 * changed, then ShadowGit.snapshot — beside the floor measured in the same run, a bare `git add -A && git
 * commit` of the same change in an ordinary repository of a copy of the same files (default config but no
 * automatic gc, hooks none). The two take turns each round so load on the machine falls on both alike. Also: a snapshot when
 * nothing changed, how many git processes a snapshot starts, a diff and a restore with its undo.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_BASE_ENVIRONMENT } from '../src/workspace/git-environment.ts';
import { ShadowGit } from '../src/workspace/shadow-git.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const FOLDERS = 100;
const FILES_PER_FOLDER = 100;
const ROUNDS = 30;

const run = promisify(execFile);

function makeWorkspace(root: string): void {
  for (let folder = 0; folder < FOLDERS; folder += 1) {
    const directory = join(root, `module-${folder}`);
    mkdirSync(directory, { recursive: true });
    for (let file = 0; file < FILES_PER_FOLDER; file += 1) {
      writeFileSync(
        join(directory, `file-${file}.ts`),
        `export const value${file} = ${folder * FILES_PER_FOLDER + file};\n`.repeat(20),
      );
    }
  }
}

const bareEnvironment = {
  ...DEFAULT_BASE_ENVIRONMENT,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  // Left on, git commit starts a background gc once 10,000 loose objects pile up, which would load the machine
  // under both rows.
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'gc.auto',
  GIT_CONFIG_VALUE_0: '0',
};

async function bareGit(root: string, args: string[]): Promise<void> {
  await run('git', args, { cwd: root, env: bareEnvironment });
}

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

function medianRow(name: string, samples: number[], note: string): BenchResult {
  const { median, p99 } = percentiles(samples);
  return {
    name: `${name}, median`,
    value: round(median, 1),
    unit: 'ms',
    note: `${note}; worst ${round(p99, 1)} ms of ${samples.length}`,
  };
}

export default async function checkpointBench(): Promise<BenchResult[]> {
  const temp = makeTempDir('mp-bench-checkpoint-');
  try {
    const workspace = join(temp.path, 'workspace');
    const plain = join(temp.path, 'plain');
    makeWorkspace(workspace);
    cpSync(workspace, plain, { recursive: true });
    await bareGit(plain, ['init', '--quiet']);
    const firstPlain = await timed(async () => {
      await bareGit(plain, ['add', '-A']);
      await bareGit(plain, ['commit', '--quiet', '-m', 'first']);
    });

    let processes = 0;
    const shadow = new ShadowGit({
      workspaceRoot: workspace,
      shadowDir: join(temp.path, 'checkpoints', 'workspace.git'),
      onGitProcess: () => {
        processes += 1;
      },
    });
    const first = await timed(() => shadow.snapshot('first'));

    const ours: number[] = [];
    const bare: number[] = [];
    const processCounts: number[] = [];
    for (let index = 0; index < ROUNDS; index += 1) {
      const changed = `module-${index % FOLDERS}/file-${index}.ts`;
      const content = `export const changed = ${index};\n`;
      writeFileSync(join(workspace, changed), content);
      writeFileSync(join(plain, changed), content);
      processes = 0;
      ours.push(await timed(() => shadow.snapshot(`round ${index}`)));
      processCounts.push(processes);
      bare.push(
        await timed(async () => {
          await bareGit(plain, ['add', '-A']);
          await bareGit(plain, ['commit', '--quiet', '-m', `round ${index}`]);
        }),
      );
    }
    const unchanged: number[] = [];
    for (let index = 0; index < ROUNDS; index += 1)
      unchanged.push(await timed(() => shadow.snapshot('same')));
    processes = 0;
    await shadow.snapshot('same');
    const unchangedProcesses = processes;

    const start = await shadow.snapshot('before the restore');
    writeFileSync(join(workspace, 'module-1/file-1.ts'), 'changed before the restore\n');
    const later = await shadow.snapshot('changed');
    const diffs: number[] = [];
    for (let index = 0; index < 10; index += 1)
      diffs.push(await timed(() => shadow.diff(start.commit, later.commit)));
    const restores: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      let undo = '';
      restores.push(
        await timed(async () => {
          undo = (await shadow.restore(start.commit)).undoCommit;
        }),
      );
      await shadow.restore(undo);
    }

    const oursMedian = percentiles(ours).median;
    const bareMedian = percentiles(bare).median;
    return [
      medianRow('snapshot, 10,000 files, one changed', ours, 'ShadowGit.snapshot; target < 100 ms'),
      medianRow(
        'floor: bare `git add -A && git commit`, same change',
        bare,
        'ordinary repository of a copy of the same files, default config but gc.auto=0, taking turns with the row above',
      ),
      {
        name: 'snapshot over the bare add and commit',
        value: round(oursMedian / bareMedian, 2),
        unit: '×',
        note: 'medians of the same run',
      },
      {
        name: 'git processes per snapshot, one file changed',
        value: percentiles(processCounts).median,
        unit: 'processes',
        note: 'status, update-index, write-tree, then commit-tree beside diff-tree',
      },
      medianRow('snapshot, nothing changed', unchanged, `${unchangedProcesses} git process (status)`),
      medianRow('diff of two checkpoints, one file changed', diffs, 'files with stats, and the unified text'),
      medianRow('restore, one file back', restores, 'checkpoint of the current state, then the checkout'),
      {
        name: 'first snapshot of the 10,000 files',
        value: round(first, 0),
        unit: 'ms',
        note: `every file hashed and written; bare \`git add -A && git commit\` of the same: ${round(firstPlain, 0)} ms`,
      },
    ];
  } finally {
    temp.remove();
  }
}
