import { useState } from 'react';
import { useProposals, useTerminalActions } from '../state/terminal-context.tsx';
import { ProposalCard } from './proposal-card.tsx';

/** The commands one message proposed, in order, under that message; Run all when several wait. */
export function ProposalGroup(props: { messageId: string }) {
  const proposals = useProposals(props.messageId);
  const actions = useTerminalActions();
  const [edits, setEdits] = useState<ReadonlyMap<string, string>>(() => new Map());
  const [busy, setBusy] = useState(false);
  if (proposals.length === 0) return null;
  const pending = proposals.filter((proposal) => proposal.status === 'proposed');
  const commandOf = (id: string, fallback: string) => edits.get(id) ?? fallback;

  return (
    // A group, not a region: one per message would make many landmarks of the same name (axe's landmark-unique).
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> is a form's set of fields (and min-content wide).
    <div role="group" className="proposal-group" aria-label="Proposed commands">
      {proposals.map((proposal, index) => (
        <ProposalCard
          key={proposal.id}
          proposal={proposal}
          number={index + 1}
          command={commandOf(proposal.id, proposal.command)}
          onCommandChange={(command) => setEdits((previous) => new Map(previous).set(proposal.id, command))}
          busy={busy}
          onBusy={setBusy}
        />
      ))}
      {pending.length > 1 ? (
        <div className="proposal-group__all">
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void actions.runAll(pending, edits).finally(() => setBusy(false));
            }}
          >
            ▶ Run all {pending.length}, in order
          </button>
        </div>
      ) : null}
    </div>
  );
}
