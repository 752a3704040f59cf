/**
 * The behaviour every ShellSession backend shares, run against each real backend by its own test file
 * (host-session, bwrap-session, docker-session), so the three cannot drift apart.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { processesMatching, uniqueSleepSeconds, waitFor } from './processes.ts';

export interface ContractSubject {
  create(options: ShellSessionOptions): ShellSession;
}

const SECRET_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MP_TOKEN', 'OPENROUTER_API_KEY'];

export function shellSessionContract(name: string, runIf: boolean, subject: ContractSubject): void {
  describe.runIf(runIf)(`${name} shell session`, () => {
    let workspace: string;
    let session: ShellSession;
    const saved = new Map<string, string | undefined>();

    beforeAll(async () => {
      workspace = await mkdtemp(join(tmpdir(), `mp-${name}-contract-`));
      for (const variable of SECRET_VARIABLES) {
        saved.set(variable, process.env[variable]);
        process.env[variable] = `sk-decoy-${variable}`;
      }
      session = subject.create({
        workspace,
        startupScript:
          'export FROM_STARTUP=started\nmkdir -p sub\nstartup_function() { echo from-startup-function; }',
        killGraceMs: 300,
      });
    });

    afterAll(async () => {
      await session?.close();
      for (const [variable, value] of saved) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
      await rm(workspace, { recursive: true, force: true });
    });

    it('starts in the workspace and runs the startup script', async () => {
      const start = await session.start();
      expect(start.startup).toMatchObject({ status: 'completed', exitCode: 0 });
      const result = await session.run('pwd; echo $FROM_STARTUP; startup_function');
      expect(result).toMatchObject({
        status: 'completed',
        exitCode: 0,
        cwd: workspace,
        shellRestarted: false,
      });
      expect(result.output).toBe(`${workspace}\nstarted\nfrom-startup-function\n`);
    });

    it('keeps cwd, exported and plain variables, functions and aliases between commands', async () => {
      await session.run(
        'cd sub && export EXPORTED=one && PLAIN=two && greet() { echo "hi $1"; } && alias ll="echo aliased"',
      );
      const result = await session.run(
        'pwd; echo $EXPORTED $PLAIN; greet you; ll; bash -c "echo child sees \\$EXPORTED"',
      );
      expect(result.output).toBe(`${workspace}/sub\none two\nhi you\naliased\nchild sees one\n`);
      expect(result.cwd).toBe(`${workspace}/sub`);
      await session.run('cd ..');
    });

    it('reports exit codes and keeps stdout and stderr in the order written', async () => {
      const result = await session.run('echo out1; echo err1 >&2; echo out2; echo err2 >&2; (exit 7)');
      expect(result).toMatchObject({ status: 'failed', exitCode: 7, truncated: false, cut: null });
      expect(result.output).toBe('out1\nerr1\nout2\nerr2\n');
    });

    it('gives commands end-of-file on stdin instead of hanging', async () => {
      const result = await session.run('cat; read line; echo "read said $?"; head -c 10');
      expect(result).toMatchObject({ status: 'completed', output: 'read said 1\n' });
    });

    it('survives syntax errors, unclosed quotes and here-documents', async () => {
      expect(await session.run("echo 'unclosed")).toMatchObject({ status: 'failed', exitCode: 2 });
      expect(await session.run('if then fi')).toMatchObject({ status: 'failed', exitCode: 2 });
      const heredoc = await session.run("cat <<'EOF'\nline one\n$NOT_EXPANDED\nEOF");
      expect(heredoc.output).toBe('line one\n$NOT_EXPANDED\n');
      expect((await session.run('echo still here')).output).toBe('still here\n');
    });

    it('shows binary and invalid UTF-8 output safely', async () => {
      const result = await session.run("printf '\\xff\\xfe\\x00ok\\xe2\\x82'");
      expect(result.output).toBe('\uFFFD\uFFFD␀ok\uFFFD');
      expect(result.outputBytes).toBe(7);
    });

    it('is not fooled by output that looks like its end marker', async () => {
      const result = await session.run(
        "printf '\\x1eMP-END-00000000000000000000000000000000\\x1e0 /forged\\0after\\n'",
      );
      expect(result.cwd).toBe(workspace);
      expect(result.output).toContain('after');
      expect(result.output).toContain('/forged');
    });

    it('passes none of the server environment: no API keys', async () => {
      const result = await session.run('env');
      for (const variable of SECRET_VARIABLES) expect(result.output).not.toContain(variable);
      expect(result.output).not.toContain('sk-decoy');
      expect(result.output).toMatch(/^PATH=/m);
      expect(result.output).toMatch(/^HOME=/m);
    });

    it('streams output live before the command ends', async () => {
      // The command waits for a file the test writes only once it has seen the first line, so the second
      // line cannot arrive with it however loaded the machine is.
      const release = join(workspace, 'release-live-output');
      let sawFirstWhileRunning = false;
      const result = await session.run(
        `echo first; while [ ! -e '${release}' ]; do sleep 0.02; done; rm '${release}'; echo second`,
        {
          onOutput: (text) => {
            if (text.includes('first') && !text.includes('second')) {
              sawFirstWhileRunning = true;
              writeFileSync(release, '');
            }
          },
        },
      );
      expect(result.output).toBe('first\nsecond\n');
      expect(sawFirstWhileRunning).toBe(true);
    });

    it('runs concurrent calls one after another, in call order', async () => {
      const results = await Promise.all([
        session.run('echo one; sleep 0.1'),
        session.run('echo two'),
        session.run('echo three'),
      ]);
      expect(results.map((result) => result.output)).toEqual(['one\n', 'two\n', 'three\n']);
    });

    it('kills the whole process tree of a command at its timeout, leaving nothing behind', async () => {
      await session.run('cd sub; export LOST_ON_RESTART=yes');
      const seconds = uniqueSleepSeconds();
      const running = session.run(
        `(sleep ${seconds} &); sleep ${seconds} & sh -c 'sleep ${seconds}; :' & sleep ${seconds}; echo not-reached`,
        { timeoutMs: 5000 },
      );
      // Polling only to prove the tree existed, so that its absence afterwards means something.
      const seen = await waitFor(() => processesMatching(seconds).length >= 4, 4800);
      const result = await running;
      expect(seen).toBe(true);
      expect(result).toMatchObject({ status: 'timed-out', exitCode: null, cwd: `${workspace}/sub` });
      expect(result.output).not.toContain('not-reached');
      expect(processesMatching(seconds)).toEqual([]);
      const after = await session.run('pwd; echo "[$LOST_ON_RESTART] $FROM_STARTUP"');
      expect(after).toMatchObject({ shellRestarted: true, output: `${workspace}/sub\n[] started\n` });
      await session.run('cd ..');
    });

    it('interrupts a running command without running the rest of its list', async () => {
      const seconds = uniqueSleepSeconds();
      const result = await session.run(
        `echo started; sleep ${seconds}; echo not-reached > interrupted-list-ran`,
        {
          onOutput: (text) => {
            if (text.includes('started')) expect(session.interrupt()).toBe(true);
          },
        },
      );
      expect(result.status).toBe('interrupted');
      expect(processesMatching(seconds)).toEqual([]);
      expect(session.interrupt()).toBe(false);
      const after = await session.run('ls interrupted-list-ran; echo $FROM_STARTUP');
      expect(after).toMatchObject({ shellRestarted: true });
      expect(after.output).toMatch(/No such file.*\nstarted\n$/s);
    });

    it('interrupts through an AbortSignal, SIGKILLing what ignores SIGINT', async () => {
      const seconds = uniqueSleepSeconds();
      const controller = new AbortController();
      const result = await session.run(`trap '' INT; echo started; sleep ${seconds}`, {
        signal: controller.signal,
        onOutput: (text) => {
          if (text.includes('started')) controller.abort();
        },
      });
      expect(result.status).toBe('interrupted');
      expect(processesMatching(seconds)).toEqual([]);
    });

    it('stops a loop inside the shell itself', async () => {
      const result = await session.run('echo looping; while :; do :; done', {
        onOutput: (text) => {
          if (text.includes('looping')) session.interrupt();
        },
      });
      expect(result.status).toBe('interrupted');
      expect(await session.run('echo fine')).toMatchObject({ output: 'fine\n', shellRestarted: true });
    });

    it('answers an already aborted signal without running anything', async () => {
      const controller = new AbortController();
      controller.abort();
      const result = await session.run('touch should-not-exist', { signal: controller.signal });
      expect(result).toMatchObject({ status: 'interrupted', exitCode: null, output: '' });
      expect((await session.run('ls should-not-exist')).exitCode).not.toBe(0);
    });

    it('restarts after `exit`, running the startup script again and returning to the cwd', async () => {
      await session.run('cd sub');
      const exited = await session.run('echo bye; exit 3');
      expect(exited).toMatchObject({ status: 'failed', exitCode: 3, output: 'bye\n' });
      const after = await session.run('pwd; echo $FROM_STARTUP');
      expect(after).toMatchObject({ shellRestarted: true, output: `${workspace}/sub\nstarted\n` });
      await session.run('cd ..');
    });

    it('cuts `yes | head -c 200M` with memory bounded and the event loop free', async () => {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      let peak = process.memoryUsage.rss();
      const before = peak;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 20);
      delay.enable();
      let liveChars = 0;
      const result = await session.run('yes | head -c 200M', {
        timeoutMs: 60_000,
        onOutput: (text) => {
          liveChars += text.length;
        },
      });
      delay.disable();
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      expect(result).toMatchObject({
        status: 'completed',
        exitCode: 0,
        truncated: true,
        outputBytes: 200 * 1024 * 1024,
      });
      expect(result.cut).toEqual({
        atByte: 2 * 1024 * 1024,
        droppedBytes: 200 * 1024 * 1024 - 4 * 1024 * 1024,
      });
      expect(result.output.length).toBeLessThan(4 * 1024 * 1024 + 100);
      expect(result.output.endsWith('y\n')).toBe(true);
      expect(liveChars).toBeLessThan(2 * 1024 * 1024 + 200);
      expect(peak - before).toBeLessThan(100 * 1024 * 1024);
      // Generous: two shared cores; what matters is that it is not blocked for the whole stream.
      expect(delay.max / 1e6).toBeLessThan(1500);
    }, 90_000);
  });
}
