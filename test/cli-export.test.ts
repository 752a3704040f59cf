/**
 * `mp export` and `mp import dump` from the command line (issue 9 items 2 and 4), spawned on a real data dir:
 * the file appears whole under its name (never a `.partial` left behind), the dataset card sits beside it,
 * the summary says what was written, dropped and redacted; bad input is one `mp:` line and exit code 1
 * before the data dir is touched; and a dump read into another data dir dumps back byte for byte.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.ts';
import { isolatedEnvironment } from './support/environment.ts';
import { runCli } from './support/spawn-server.ts';
import { makeTempDir } from './support/temp-dir.ts';

const dir = makeTempDir('mp-cli-export-');
const dataDir = join(dir.path, 'data');
const secret = `sk-proj-${'a1B2c3D4e5'.repeat(4)}`;

function mp(args: string[]) {
  return runCli(args, isolatedEnvironment(dir.path));
}

function expectOneActionableLine(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mp: /);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  const store = await Store.open({ engine: 'sqlite' }, { dataDir });
  try {
    for (const [title, answer] of [
      ['Keys', `Set OPENAI_API_KEY=${secret} and run it.`],
      ['Tagged', 'Use `git bisect`.'],
      ['Same as tagged', 'Use `git bisect`.'],
    ] as const) {
      const conversation = await store.conversations.create({ title });
      await store.messages.append(conversation.id, {
        role: 'user',
        author: 'human',
        content: 'How do I find the bad commit?',
      });
      await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        content: answer,
        editor: 'model',
      });
      if (title === 'Tagged') await store.labels.tag({ kind: 'conversation', id: conversation.id }, 'git');
    }
  } finally {
    await store.close();
  }
});

afterAll(() => dir.remove());

describe('mp export', () => {
  it('writes the lines, the card beside them, and a summary of what it wrote, dropped and redacted', async () => {
    const out = join(dir.path, 'sft', 'train.jsonl');
    mkdirSync(join(dir.path, 'sft'));
    const result = await mp(['export', '--format', 'openai-sft', '--out', out, '--data-dir', dataDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir.path, 'sft')).sort()).toEqual(['README.md', 'train.jsonl']);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(secret);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('messages');
    expect(result.stdout).toMatch(
      /^Exported 2 examples \(openai-sft\) from 3 conversations to .*train\.jsonl/,
    );
    expect(result.stdout).toMatch(/dropped: +1 duplicate/);
    expect(result.stdout).toMatch(/redacted: +1 openai-key/);

    const card = readFileSync(join(dir.path, 'sft', 'README.md'), 'utf8');
    expect(card).toMatch(/^---\ntask_categories:\n- text-generation\n/);
    expect(card).toContain('size_categories:\n- n<1K\n');
    expect(card).toContain(
      'configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: "train.jsonl"\n---\n',
    );
    expect(card).toContain('| examples written | 2 |');
    expect(card).toContain('| dropped: duplicate | 1 |');
    expect(card).toContain('- `openai-key`: 1');
    expect(card).toContain('- every conversation (no filter)');
  });

  it('takes only what the filters name, and says so on the card', async () => {
    const out = join(dir.path, 'tagged.jsonl');
    const result = await mp([
      'export',
      '--format',
      'trl-sft',
      '--out',
      out,
      '--data-dir',
      dataDir,
      '--tag',
      'git',
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/^Exported 1 examples \(trl-sft\) from 1 conversations/);
    expect(readFileSync(join(dir.path, 'README.md'), 'utf8')).toContain('- tags: `git`');
  });

  it('leaves a README.md that is not its own card alone', async () => {
    const folder = join(dir.path, 'project');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README.md'), '# My notes\n');
    const result = await mp([
      'export',
      '--format',
      'sharegpt',
      '--out',
      join(folder, 'a.jsonl'),
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(folder, 'README.md'), 'utf8')).toBe('# My notes\n');
    expect(readFileSync(join(folder, 'a.jsonl.README.md'), 'utf8')).toContain(
      '# ModelProgrammer export: sharegpt',
    );
  });

  describe('refuses bad input with one line, before touching the data dir', () => {
    const nowhere = join(dir.path, 'never-created');
    const cases: [string, string[], RegExp][] = [
      [
        'an unknown format',
        ['--format', 'alpaca', '--out', join(dir.path, 'x.jsonl')],
        /--format: alpaca is not a format; use one of openai-sft, .*dump/,
      ],
      [
        'a bad date',
        ['--format', 'trl-sft', '--out', join(dir.path, 'x.jsonl'), '--since', 'last tuesday'],
        /--since: since must be a date like 2026-11-30/,
      ],
      [
        'a bad rating',
        ['--format', 'trl-sft', '--out', join(dir.path, 'x.jsonl'), '--rating', 'meh'],
        /--rating: /,
      ],
      [
        'a bad token limit',
        ['--format', 'trl-sft', '--out', join(dir.path, 'x.jsonl'), '--max-tokens', '0'],
        /--max-tokens: 0 is not a positive whole number/,
      ],
      [
        'an unwritable path',
        ['--format', 'trl-sft', '--out', join(dir.path, 'no', 'such', 'dir', 'x.jsonl')],
        /--out: cannot write .*x\.jsonl\.partial \(ENOENT\); name a file in a folder that exists/,
      ],
      [
        'filters on a dump',
        ['--format', 'dump', '--out', join(dir.path, 'x.jsonl'), '--tag', 'git'],
        /--format dump writes every table whole/,
      ],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const result = await mp(['export', ...args, '--data-dir', nowhere]);
        expectOneActionableLine(result, message);
        expect(existsSync(nowhere)).toBe(false);
        expect(existsSync(join(dir.path, 'x.jsonl'))).toBe(false);
        expect(existsSync(join(dir.path, 'x.jsonl.partial'))).toBe(false);
      });
    }
  });
});

describe('mp export --format dump, then mp import dump', () => {
  it('reads into another data dir and dumps back byte for byte; a second import adds nothing', async () => {
    const first = join(dir.path, 'first.dump.jsonl');
    const exported = await mp(['export', '--format', 'dump', '--out', first, '--data-dir', dataDir]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Dumped 3 conversations, 6 messages, 6 message_revisions, 1 labels/);
    const other = join(dir.path, 'other');

    const imported = await mp(['import', 'dump', first, '--data-dir', other]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/messages +6 added, 0 updated, 0 already there/);
    const again = await mp(['import', 'dump', first, '--data-dir', other]);
    expect(again.stdout).toMatch(/nothing new/);

    const second = join(dir.path, 'second.dump.jsonl');
    expect((await mp(['export', '--format', 'dump', '--out', second, '--data-dir', other])).code).toBe(0);
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });

  it('refuses a file that is not a dump with its name and line, and a missing file', async () => {
    const notDump = join(dir.path, 'not-a-dump.jsonl');
    writeFileSync(notDump, '{"messages":[]}\n');
    const nowhere = join(dir.path, 'never-imported');
    expectOneActionableLine(
      await mp(['import', 'dump', notDump, '--data-dir', nowhere]),
      /not-a-dump\.jsonl: line 1: not an mp dump/,
    );
    expectOneActionableLine(
      await mp(['import', 'dump', join(dir.path, 'missing.jsonl'), '--data-dir', nowhere]),
      /missing\.jsonl: cannot read the dump \(ENOENT\)/,
    );
    expect(existsSync(join(nowhere, 'modelprogrammer.db'))).toBe(false);
  });
});
