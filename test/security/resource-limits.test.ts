/**
 * Limits on what a command can take (issue 7, item 6): a fork bomb, a memory hog, a disk filler and a CPU
 * spinner inside a real sandbox end on the kernel's limits, with the limit named in the result, while
 * another conversation's sandbox keeps working and nothing (processes, cgroups) is left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import { type ResourceLimitsSetting, resolveResourceLimits } from '../../src/core/resource-limits.ts';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { cgroupPlaces } from '../../src/sandbox/cgroup-mounts.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import {
  describeBwrapEnforcement,
  type LimitEnforcement,
  limitEnforcement,
} from '../../src/sandbox/resource-limits.ts';
import { removeOrphanCgroups } from '../../src/sandbox/session-cgroup.ts';
import { dockerWithImage } from '../sandbox/docker-available.ts';
import { processesMatching, uniqueSleepSeconds, waitFor } from '../sandbox/processes.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { expectJson, settle, startTestApp } from '../support/test-app.ts';

const MIB = 1024 * 1024;

interface Backend {
  name: string;
  available: boolean;
  create(options: ShellSessionOptions): ShellSession;
}

const BACKENDS: Backend[] = [
  {
    name: 'bwrap',
    available: requirement('bubblewrap (bwrap)', hasExecutable('bwrap')),
    create: (options) => createBwrapSession(options),
  },
  {
    name: 'docker',
    available: requirement(
      'a Docker engine with the sandbox image (scripts/ci-docker.sh)',
      dockerWithImage(),
    ),
    create: (options) => createDockerSession(options),
  },
];

/** Only root may mount the small disk the free-space reserve is tried on (CI runs as root). */
const asRoot = requirement('root, to mount a 64 MiB disk for a workspace', process.getuid?.() === 0);

let workspace: string;
const opened: ShellSession[] = [];

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'mp-limits-'));
});

afterAll(async () => {
  await Promise.all(opened.map((session) => session.close()));
  await rm(workspace, { recursive: true, force: true });
});

function open(backend: Backend, limits: ResourceLimitsSetting, create = backend.create): ShellSession {
  const session = create({ workspace, limits: resolveResourceLimits(limits), killGraceMs: 300 });
  opened.push(session);
  return session;
}

/** The largest count `sample()` returned while `work` ran. */
async function peakDuring<T>(work: Promise<T>, sample: () => number): Promise<{ result: T; peak: number }> {
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, sample());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const result = await work.finally(() => {
    running = false;
  });
  await sampler;
  return { result, peak };
}

for (const backend of BACKENDS) {
  describe.runIf(backend.available)(`${backend.name}: resource limits`, () => {
    it('stops a fork bomb at the process limit, names it, and leaves no process behind', async () => {
      const session = open(backend, { processes: 64 });
      await session.start();
      const marker = uniqueSleepSeconds();
      const { result, peak } = await peakDuring(
        session.run(`for i in $(seq 2000); do sleep ${marker} & done; wait`, { timeoutMs: 30_000 }),
        () => processesMatching(marker).length,
      );
      expect(result.status).toBe('failed');
      expect(result.limitHit).toMatchObject({ limit: 'processes', value: '64 processes' });
      expect(result.limitHit?.message).toMatch(/process limit \(64 processes\) was reached/);
      expect(result.durationMs).toBeLessThan(10_000);
      expect(peak).toBeGreaterThan(10);
      expect(peak).toBeLessThanOrEqual(64);
      expect(await waitFor(() => processesMatching(marker).length === 0, 5000)).toBe(true);
      const after = await session.run('echo alive');
      expect(after).toMatchObject({ status: 'completed', output: 'alive\n' });
    });

    it('ends a memory hog at the memory limit while another sandbox keeps working', async () => {
      const hogging = open(backend, { memoryMiB: 64 });
      const other = open(backend, {});
      await Promise.all([hogging.start(), other.start()]);
      // tail keeps the last 600 MiB of its input in memory: ten times what the sandbox may hold.
      const hog = hogging.run('head -c 600M /dev/zero | tail -c 600M > /dev/null', { timeoutMs: 30_000 });
      const meanwhile = other.run('seq 1 100000 | tail -n 1');
      const [hogResult, otherResult] = await Promise.all([hog, meanwhile]);
      expect(otherResult).toMatchObject({ status: 'completed', output: '100000\n' });
      expect(hogResult.status).toBe('failed');
      expect(hogResult.limitHit).toMatchObject({ limit: 'memory', value: '64 MiB' });
      expect(hogResult.limitHit?.message).toMatch(
        /memory limit \(64 MiB\) was reached — raise limits\.memoryMiB/,
      );
      expect(await other.run('echo still here')).toMatchObject({ status: 'completed' });
    });

    it('stops a file at the file size limit, also when a later command sets the exit status', async () => {
      const session = open(backend, { fileSizeMiB: 1 });
      const direct = await session.run('head -c 20M /dev/zero > big');
      expect(direct).toMatchObject({ status: 'failed', exitCode: 153 });
      expect(direct.limitHit).toMatchObject({ limit: 'file-size', value: '1 MiB' });
      expect((await session.run('stat -c %s big')).output).toBe(`${MIB}\n`);
      const hidden = await session.run('head -c 20M /dev/zero > big2; echo next');
      expect(hidden).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(hidden.limitHit).toMatchObject({ limit: 'file-size' });
      expect(await session.run('echo small > small')).not.toHaveProperty('limitHit');
    });

    it('stops a disk filler of many small files at the disk limit, with the shell working after', async () => {
      const session = open(backend, { diskMiB: 16, fileSizeMiB: 1 });
      await session.run('mkdir -p filler');
      // 400 files of 1 MiB: each under the file size limit, 25 times the disk limit together.
      const result = await session.run(
        'for i in $(seq 400); do head -c 1M /dev/zero > filler/$i || break; done; echo finished',
        { timeoutMs: 60_000 },
      );
      expect(result.status).toBe('failed');
      expect(result.output).not.toContain('finished');
      expect(result.limitHit).toMatchObject({ limit: 'disk', value: '16 MiB per command' });
      expect(result.limitHit?.message).toMatch(
        /disk limit \(16 MiB per command\) was reached — raise limits\.diskMiB/,
      );
      const written = await session.run('ls filler | wc -l');
      expect(written.status).toBe('completed');
      // Stopped within a poll of the limit (a writer of small files manages a few MiB per 100 ms), far from 400.
      expect(Number(written.output.trim())).toBeGreaterThanOrEqual(16);
      expect(Number(written.output.trim())).toBeLessThan(200);
      await session.run('rm -rf filler');
      expect(await session.run('head -c 1M /dev/zero > small-enough && echo ok')).toMatchObject({
        status: 'completed',
        output: 'ok\n',
      });
      await session.run('rm -f small-enough');
    });

    it('stops a disk filler left running in the background, and the next command says so', async () => {
      const session = open(backend, { diskMiB: 16, fileSizeMiB: 1 });
      const marker = uniqueSleepSeconds();
      await session.run('mkdir -p background');
      // The job outlives its command; its sleep, named by the marker, shows from here whether it still runs.
      const started = await session.run(
        `(sleep ${marker} & for i in $(seq 400); do head -c 1M /dev/zero > background/$i; sleep 0.01; done; wait) > /dev/null 2>&1 &`,
      );
      expect(started.status).toBe('completed');
      expect(await waitFor(() => processesMatching(marker).length > 0, 10_000)).toBe(true);
      expect(await waitFor(() => processesMatching(marker).length === 0, 30_000)).toBe(true);
      const written = readdirSync(join(workspace, 'background')).length;
      expect(written).toBeGreaterThanOrEqual(16);
      expect(written).toBeLessThan(200);
      const next = await session.run('echo next');
      expect(next).toMatchObject({ status: 'completed', shellRestarted: true });
      expect(next.output).toBe(
        "[before this command, the sandbox was stopped by a process left running: the sandbox's disk limit (16 MiB per command) was reached — raise limits.diskMiB in the conversation's settings]\nnext\n",
      );
      await session.run('rm -rf background');
      expect((await session.run('echo again')).output).toBe('again\n');
    });

    it.runIf(asRoot)('stops a writer before it takes the free space its disk keeps', async () => {
      // A 64 MiB disk of its own for the workspace: 6.4 MiB of it (a tenth of a small disk) is kept free.
      const small = await mkdtemp(join(tmpdir(), 'mp-small-disk-'));
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', small]).status).toBe(0);
      try {
        const session = open(backend, { diskMiB: 1024, fileSizeMiB: 1 }, (options) =>
          backend.create({ ...options, workspace: small }),
        );
        // It goes on when the disk is full (as a careless script does), so it must be stopped to end early.
        const result = await session.run(
          'for i in $(seq 200); do head -c 1M /dev/zero > $i; sleep 0.02; done 2>/dev/null; echo finished',
          { timeoutMs: 60_000 },
        );
        expect(result.status).toBe('failed');
        expect(result.output).not.toContain('finished');
        expect(result.limitHit).toMatchObject({ limit: 'disk-free', value: '6.4 MiB kept free' });
        expect(result.limitHit?.message).toMatch(/down to its last 6\.4 MiB free.*make room on that disk/);
        await session.close();
      } finally {
        spawnSync('umount', [small]);
        await rm(small, { recursive: true, force: true });
      }
    });

    it('sizes /tmp and the home as the tmpfs limit says', async () => {
      const session = open(backend, { tmpfsMiB: 2 });
      const result = await session.run(
        'for dir in /tmp /var/tmp "$HOME"; do head -c 8M /dev/zero > "$dir/fill" 2>/dev/null; stat -c %s "$dir/fill"; done',
      );
      const sizes = result.output.trim().split('\n').map(Number);
      expect(sizes).toHaveLength(3);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(2 * MIB);
    });

    it('ends a CPU spinner at the CPU time limit', async () => {
      const session = open(backend, { cpuTimeSeconds: 1 });
      const result = await session.run("bash -c 'while :; do :; done'", { timeoutMs: 20_000 });
      expect(result).toMatchObject({ status: 'failed', exitCode: 152 });
      expect(result.limitHit).toMatchObject({ limit: 'cpu-time', value: '1 CPU second per process' });
    });

    it('holds a busy loop to its CPU share', async () => {
      const session = open(backend, { cpus: 0.2 });
      // `times` prints the CPU time of the shell's children: at a fifth of a core, at most ~0.3 s of 1.5 s.
      const result = await session.run("timeout 1.5 bash -c 'while :; do :; done'; times");
      const children = /^(\d+)m([\d.]+)s/m.exec(result.output.split('\n')[1] ?? '');
      expect(children).not.toBeNull();
      expect(Number(children![1]) * 60 + Number(children![2])).toBeLessThan(0.6);
    });
  });
}

/** Session cgroup folders of this process under `modelprogrammer/` in each hierarchy. */
async function sessionCgroups(): Promise<string[]> {
  const places = await cgroupPlaces();
  const parents = [...Object.values(places.v1), ...(places.v2 === null ? [] : [places.v2])].map((place) =>
    join(place, 'modelprogrammer'),
  );
  return parents.flatMap((parent) => {
    try {
      return readdirSync(parent)
        .filter((name) => name.startsWith(`${process.pid}-`))
        .map((name) => join(parent, name));
    } catch {
      return [];
    }
  });
}

describe.runIf(BACKENDS[0]!.available)('bwrap: where the limits live', () => {
  it('makes a cgroup per session with its limits, every sandbox process in it, removed on close', async () => {
    const before = await sessionCgroups();
    const session = createBwrapSession({ workspace, limits: resolveResourceLimits({ processes: 77 }) });
    const result = await session.run('sleep 0.01 & echo started');
    expect(result.output).toBe('started\n');
    const made = (await sessionCgroups()).filter((folder) => !before.includes(folder));
    const pidsFolder = made.find((folder) => folder.includes('/pids/'));
    if (pidsFolder !== undefined) {
      expect(readFileSync(join(pidsFolder, 'pids.max'), 'utf8').trim()).toBe('77');
      // bwrap, its init and the shell at least: the launcher joined before anything was forked.
      const members = readFileSync(join(pidsFolder, 'cgroup.procs'), 'utf8').trim().split('\n');
      expect(members.length).toBeGreaterThanOrEqual(3);
    }
    await session.close();
    const left = await sessionCgroups();
    for (const folder of made) expect(left).not.toContain(folder);
  });

  it('removes session cgroups left by a server that is gone, and only those', async () => {
    const places = await cgroupPlaces();
    const pids = places.v1.pids ?? places.v2;
    if (!requirement('a writable pids cgroup', pids !== undefined && pids !== null)) return;
    const parent = join(pids!, 'modelprogrammer');
    await limitEnforcement();
    const gone = spawnSync('true').pid!;
    const orphan = join(parent, `${gone}-orphan-test`);
    const live = join(parent, `${process.pid}-live-test`);
    mkdirSync(orphan);
    mkdirSync(live);
    try {
      expect(await removeOrphanCgroups(parent)).toBeGreaterThanOrEqual(1);
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      for (const folder of [orphan, live]) if (existsSync(folder)) rmdirSync(folder);
    }
  });

  it('refuses to start a sandbox whose cgroup cannot be made, rather than run it unlimited', async () => {
    const enforcement: LimitEnforcement = {
      cgroup: { version: 1, parents: { pids: join(workspace, 'no-such-cgroup') }, controllers: ['pids'] },
      problems: [],
      root: true,
    };
    const session = createBwrapSession({ workspace }, { limitEnforcement: enforcement });
    opened.push(session);
    await expect(session.run('echo ran')).rejects.toThrow(/could not create the sandbox's cgroup/);
  });

  it('falls back to rlimits where no cgroup is writable, and says so', async () => {
    const enforcement: LimitEnforcement = { cgroup: null, problems: ['forced by this test'], root: true };
    const description = describeBwrapEnforcement(enforcement).join('\n');
    expect(description).toMatch(/memory: RLIMIT_DATA/);
    expect(description).toMatch(/processes: NOT enforced/);
    expect(description).toMatch(/file size: RLIMIT_FSIZE/);
    const session = open(BACKENDS[0]!, { memoryMiB: 64, fileSizeMiB: 1 }, (options) =>
      createBwrapSession(options, { limitEnforcement: enforcement }),
    );
    const hog = await session.run('head -c 600M /dev/zero | tail -c 600M > /dev/null', { timeoutMs: 30_000 });
    expect(hog.status).toBe('failed');
    expect(hog.limitHit).toMatchObject({ limit: 'memory' });
    const big = await session.run('head -c 20M /dev/zero > fallback-big');
    expect(big.limitHit).toMatchObject({ limit: 'file-size' });
  });
});

describe.runIf(BACKENDS[0]!.available)('a conversation’s limits, through the API', () => {
  it('are checked, kept in its settings, and name the limit in the terminal message', async () => {
    const t = await startTestApp();
    try {
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'Limits' }),
        ConversationWithMessagesSchema,
        201,
      );
      const path = `/api/conversations/${conversation.id}`;
      expect((await t.api('PATCH', path, { limits: { processes: 1 } })).status).toBe(400);
      expect((await t.api('PATCH', path, { limits: { swapMiB: 10 } })).status).toBe(400);
      expect((await t.api('PATCH', path, { limits: { diskMiB: 0 } })).status).toBe(400);
      const patched = await expectJson(
        await t.api('PATCH', path, { limits: { fileSizeMiB: 1, memoryMiB: 256 } }),
        ConversationWithMessagesSchema,
      );
      expect(patched.settings.limits).toEqual({ fileSizeMiB: 1, memoryMiB: 256 });
      await t.api('POST', `${path}/run`, { command: 'head -c 20M /dev/zero > big' });
      await settle(t.app);
      const after = await expectJson(await t.api('GET', path), ConversationWithMessagesSchema);
      expect(after.messages.at(-1)?.content).toMatch(
        /\[exit code 153\]\n\[stopped: the sandbox's file size limit \(1 MiB\) was reached — raise limits\.fileSizeMiB in the conversation's settings\]/,
      );
    } finally {
      await t.close();
    }
  });
});
