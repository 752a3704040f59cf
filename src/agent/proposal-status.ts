import type { ProposalDto } from '../core/api/terminal-schemas.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';

/** A proposal as the API shows it: with its latest execution. */
export function proposalWithExecution(store: Store, proposal: Proposal): ProposalDto {
  return { ...proposal, execution: store.executions.latestForProposal(proposal.id) };
}

/** Tells listeners the proposal's state, as written. */
export function announceProposal(store: Store, events: EventBus, proposal: Proposal): void {
  events.publish({
    type: 'proposal-updated',
    conversationId: proposal.conversationId,
    proposal: proposalWithExecution(store, proposal),
  });
}

/** Writes a proposal's new status (and the reason, when given), then announces it. */
export function setProposalStatus(
  store: Store,
  events: EventBus,
  change: { proposalId: string; status: ProposalDto['status']; reason?: string | null },
): Proposal {
  const updated = store.proposals.setStatus(change.proposalId, change.status, change.reason ?? null);
  announceProposal(store, events, updated);
  return updated;
}
