import type { LiveEvent } from '../core/api/events.ts';
import type { ProposalDto } from '../core/api/terminal-schemas.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';

/** A proposal as the API shows it: with its latest execution. */
export async function proposalWithExecution(store: Store, proposal: Proposal): Promise<ProposalDto> {
  return { ...proposal, execution: await store.executions.latestForProposal(proposal.id) };
}

/**
 * The `proposal-updated` event of a proposal as stored now. Read inside the transaction that changed it and
 * published once that has committed, so listeners hear what committed, in the order it committed (a read
 * after the commit could interleave with another request's change of the same proposal).
 */
export async function proposalUpdated(store: Store, proposalId: string): Promise<LiveEvent> {
  const proposal = await store.proposals.get(proposalId);
  return {
    type: 'proposal-updated',
    conversationId: proposal.conversationId,
    proposal: await proposalWithExecution(store, proposal),
  };
}

/** Publishes what a transaction wrote, once it has committed. */
export function publishAll(events: EventBus, announcements: readonly LiveEvent[]): void {
  for (const announcement of announcements) events.publish(announcement);
}
