/**
 * Whether a proposal may run by itself is decided when it runs, not when its message arrived (issue 7,
 * item 7): a policy that let a command through in the sandbox must not run it on the host because the person
 * switched the conversation there while it waited its turn. It goes back to waiting for a person.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import { ProposalListSchema, TerminalPlaceSchema } from '../../src/core/api/terminal-schemas.ts';
import { decideApproval } from '../../src/core/approval-policy.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { openLiveEvents } from '../support/live-events.ts';
import { expectJson, settle, startTestApp } from '../support/test-app.ts';

const canRun = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(canRun)('auto-run is decided when the command runs', () => {
  it.each([
    // Both commands read only; the second would read the host if it ran there.
    { policy: 'read-only' as const, second: 'cat /etc/hostname' },
    { policy: 'all' as const, second: 'echo ran > second-ran' },
  ])(
    'under the $policy policy, a command queued in bwrap does not run by itself once the conversation is on the host',
    async ({ policy, second }) => {
      // Both would run by themselves in the sandbox (else this test would wait for a run that never comes).
      for (const command of ['cat hold.fifo', second]) {
        expect(decideApproval({ command, policy, sandbox: 'bwrap' })).toMatchObject({
          decision: 'auto-approve',
        });
      }
      const t = await startTestApp();
      cleanups.push(() => t.close());
      const { id } = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'Switch' }),
        ConversationWithMessagesSchema,
        201,
      );
      await t.api('PATCH', `/api/conversations/${id}`, { approvalPolicy: policy });
      const place = await expectJson(
        await t.api('GET', `/api/conversations/${id}/terminal`),
        TerminalPlaceSchema,
      );
      expect(place.sandbox).toBe('bwrap');
      // The first command reads a fifo: it holds the shell until the test writes to it.
      const fifo = join(place.workspace, 'hold.fifo');
      execFileSync('mkfifo', [fifo]);
      cleanups.push(() => {
        // When the test failed half-way: a command still reading gets its end of file, and a writer still
        // waiting for a reader is let go, so nothing waits out the command's timeout.
        for (const flags of [constants.O_WRONLY, constants.O_RDONLY]) {
          try {
            closeSync(openSync(fifo, flags | constants.O_NONBLOCK));
          } catch {
            // No one at the other end.
          }
        }
      });
      const events = await openLiveEvents(t);
      cleanups.push(() => events.close());

      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'assistant',
        content: `Read:\n\`\`\`bash\ncat hold.fifo\n\`\`\`\nthen:\n\`\`\`bash\n${second}\n\`\`\`\n`,
      });
      await events.seen(
        (event) => event.type === 'command-started' && event.execution.commandRun === 'cat hold.fifo',
      );
      const waiting = (
        await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema)
      ).proposals;
      // The policy let both through when the message arrived: the second waits its turn.
      expect(waiting.map((proposal) => proposal.status)).toEqual(['running', 'queued']);

      await t.api('PATCH', `/api/conversations/${id}`, { sandbox: 'host' });
      const writer = await open(fifo, 'w');
      await writer.write('released\n');
      await writer.close();
      await settle(t.app);

      const [first, after] = (
        await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema)
      ).proposals;
      expect(first).toMatchObject({ status: 'completed', execution: { sandbox: 'bwrap', exitCode: 0 } });
      expect(first!.execution!.output).toContain('released');
      expect(after).toMatchObject({
        command: second,
        status: 'proposed',
        execution: { status: 'cancelled' },
      });
      expect(after!.reason).toMatch(/host/);
      expect(after!.execution!.output).toBe('');
      expect(existsSync(join(place.workspace, 'second-ran'))).toBe(false);
      // Nothing told the model it ran; the terminal said only what the first printed.
      const { messages } = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(
        messages.filter((message) => message.author === 'terminal').map((message) => message.content),
      ).toEqual(['$ cat hold.fifo\nreleased\n[exit code 0]']);
    },
  );
});
