import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { NotFoundError } from '../core/errors.ts';
import type { NewProposal, ProposalClaim, ProposalStatus } from './proposals.ts';
import type { Store } from './store.ts';

/** An assistant message and what a proposal of it needs, on a fresh conversation. */
async function proposalOf(store: Store): Promise<Omit<NewProposal, 'position' | 'command'>> {
  const conversation = await store.conversations.create({ title: 'Proposals' });
  const message = await store.messages.append(conversation.id, {
    role: 'assistant',
    author: 'model',
    content: '```sh\nls\n```',
  });
  return { conversationId: conversation.id, messageId: message.id, toolCallId: null, timeoutSeconds: null };
}

/**
 * Resolves once some session of this PostgreSQL database waits for a row lock: the rival's UPDATE has
 * reached the row the transaction holds. Asked outside that transaction, on a connection of its own.
 */
async function untilWaitingForLock(store: Store): Promise<void> {
  const root = store.database.detached(() => store.database.db);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await sql<{ waiting: number }>`
      SELECT CAST(COUNT(*) AS INTEGER) AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(root);
    if (rows[0]!.waiting > 0) return;
    if (Date.now() > deadline) throw new Error('no claim came to wait for the row lock within 10 s');
  }
}

describeEachEngine('proposals', (engine) => {
  describe('claiming', () => {
    it('lets exactly one of several concurrent claims win, from two processes on one database', async () => {
      const first = await engine.openStore();
      const second = await engine.openStore({ reopen: first });
      const proposal = await first.proposals.create({
        ...(await proposalOf(first)),
        position: 0,
        command: 'ls',
      });

      // Each store has its own connection(s), as two server processes would.
      const claims = await Promise.all(
        [first, second, first, second, first, second].map((store, index) =>
          store.proposals.claim(proposal.id, {
            from: ['proposed'],
            status: index % 2 === 0 ? 'approved' : 'edited',
          }),
        ),
      );

      const winners = claims.filter((claim) => claim.claimed);
      expect(winners).toHaveLength(1);
      const won = winners[0]!.proposal.status;
      expect(['approved', 'edited']).toContain(won);
      expect((await second.proposals.get(proposal.id)).status).toBe(won);
      for (const claim of claims) expect(claim.proposal.status).toBe(won);
    });

    // PostgreSQL only: there two processes really hold transactions at once. On SQLite one process has
    // one connection (a rival waits in Kysely's queue), and a second connection in the same thread would
    // block the event loop in SQLite's busy wait.
    if (engine.kind === 'postgres') {
      it('makes a rival wait for the transaction that claimed it, and lose once it commits', async () => {
        const first = await engine.openStore();
        const second = await engine.openStore({ reopen: first });
        const proposal = await first.proposals.create({
          ...(await proposalOf(first)),
          position: 0,
          command: 'ls',
        });

        let rival: Promise<ProposalClaim> | undefined;
        await first.transaction(async () => {
          const mine = await first.proposals.claim(proposal.id, { from: ['proposed'], status: 'approved' });
          expect(mine.claimed).toBe(true);
          rival = second.proposals.claim(proposal.id, { from: ['proposed'], status: 'edited' });
          await untilWaitingForLock(first);
        });

        expect(await rival).toMatchObject({ claimed: false, proposal: { status: 'approved' } });
      });

      it('lets the rival win when the transaction that claimed it rolls back', async () => {
        const first = await engine.openStore();
        const second = await engine.openStore({ reopen: first });
        const proposal = await first.proposals.create({
          ...(await proposalOf(first)),
          position: 0,
          command: 'ls',
        });

        let rival: Promise<ProposalClaim> | undefined;
        const undone = first.transaction(async () => {
          await first.proposals.claim(proposal.id, { from: ['proposed'], status: 'approved' });
          rival = second.proposals.claim(proposal.id, { from: ['proposed'], status: 'edited' });
          await untilWaitingForLock(first);
          throw new Error('the queue write failed');
        });
        await expect(undone).rejects.toThrow('the queue write failed');

        expect(await rival).toMatchObject({ claimed: true, proposal: { status: 'edited' } });
      });
    }

    it('moves nothing when the proposal is no longer in a status it may be claimed from', async () => {
      const store = await engine.openStore();
      const proposal = await store.proposals.create({
        ...(await proposalOf(store)),
        position: 0,
        command: 'rm -rf build',
        status: 'rejected',
        reason: 'not now',
      });

      const claim = await store.proposals.claim(proposal.id, { from: ['proposed'], status: 'approved' });
      expect(claim).toEqual({ claimed: false, proposal });
    });

    it('takes any of several statuses, and writes the reason given', async () => {
      const store = await engine.openStore();
      const proposal = await store.proposals.create({
        ...(await proposalOf(store)),
        position: 0,
        command: 'ls',
      });
      await store.proposals.setStatus(proposal.id, 'queued');

      const claim = await store.proposals.claim(proposal.id, {
        from: ['approved', 'edited', 'queued'],
        status: 'proposed',
        reason: 'handed back',
      });
      expect(claim.claimed).toBe(true);
      expect(claim.proposal).toMatchObject({ status: 'proposed', reason: 'handed back' });
    });

    it('reports an unknown proposal as not found', async () => {
      const store = await engine.openStore();
      await expect(store.proposals.claim('nope', { from: ['proposed'], status: 'approved' })).rejects.toThrow(
        NotFoundError,
      );
    });
  });

  it('keeps the stored reason when a status change gives none', async () => {
    const store = await engine.openStore();
    const proposal = await store.proposals.create({
      ...(await proposalOf(store)),
      position: 0,
      command: 'ls',
    });
    await store.proposals.setStatus(proposal.id, 'proposed', 'its shell could not start');
    expect(await store.proposals.setStatus(proposal.id, 'approved')).toMatchObject({
      status: 'approved',
      reason: 'its shell could not start',
    });
  });

  it("lists a message's proposals by position and a conversation's oldest first", async () => {
    const store = await engine.openStore();
    const base = await proposalOf(store);
    const second = await store.proposals.create({ ...base, position: 1, command: 'pwd' });
    const first = await store.proposals.create({ ...base, position: 0, command: 'ls' });
    const later = await store.proposals.create({
      ...(await proposalOf(store)),
      conversationId: base.conversationId,
      position: 0,
      command: 'date',
    });

    expect((await store.proposals.forMessage(base.messageId)).map((p) => p.id)).toEqual([
      first.id,
      second.id,
    ]);
    const all = (await store.proposals.forConversation(base.conversationId)).map((p) => p.command);
    expect(all.indexOf('date')).toBeGreaterThan(all.indexOf('ls'));
    expect(all).toHaveLength(3);
    expect(later.status).toBe('proposed');
  });

  it('after a crash hands back what had not started and interrupts what ran', async () => {
    const store = await engine.openStore();
    const base = await proposalOf(store);
    const statuses: ProposalStatus[] = ['approved', 'edited', 'queued', 'running', 'completed', 'rejected'];
    const ids: string[] = [];
    for (const [position, status] of statuses.entries()) {
      const proposal = await store.proposals.create({ ...base, position, command: `echo ${position}` });
      await store.proposals.setStatus(proposal.id, status);
      ids.push(proposal.id);
    }

    expect(await store.proposals.markRunningInterrupted()).toBe(4);
    const after = await Promise.all(ids.map((id) => store.proposals.get(id)));
    expect(after.map(({ status, reason }) => ({ status, reason }))).toEqual([
      { status: 'proposed', reason: 'the server stopped before it ran' },
      { status: 'proposed', reason: 'the server stopped before it ran' },
      { status: 'proposed', reason: 'the server stopped before it ran' },
      { status: 'interrupted', reason: 'the server stopped while it ran' },
      { status: 'completed', reason: null },
      { status: 'rejected', reason: null },
    ]);
  });
});
