import { useState, useSyncExternalStore } from 'react';
import type { Conversation } from '../api/client.ts';
import type { ConversationSettingsPatch } from '../api/conversation-settings.ts';
import { onTeamSessionChange, signedInAccount } from '../api/team-session.ts';

/**
 * Whether the team sees this conversation (issue 10 item 5), on a team server only: its owner and admins may
 * change it; anyone else sees the state, disabled, with who may change it. Private conversations are hidden
 * from other members and reviewers through every route (docs/team.md).
 */
export function ShareToggle(props: {
  conversation: Conversation;
  onPatch: (patch: ConversationSettingsPatch) => Promise<boolean>;
}) {
  const account = useSyncExternalStore(onTeamSessionChange, signedInAccount);
  // The box shows the person's choice at once, and the stored state again once the change is answered
  // (refused, it falls back to what is stored).
  const [choice, setChoice] = useState<boolean | null>(null);
  if (account === null) return null;
  const { conversation } = props;
  const mayChange = account.role === 'admin' || conversation.ownerAccountId === account.id;
  const shared = conversation.visibility === 'team' || conversation.ownerAccountId === null;
  return (
    <label
      className="conversation-bar__share"
      title={
        mayChange
          ? 'Shared: every member and reviewer sees it. Private: only you and the admins.'
          : 'Only the account that made it, or an admin, can change who sees it'
      }
    >
      <input
        type="checkbox"
        checked={choice ?? shared}
        disabled={!mayChange || conversation.ownerAccountId === null}
        onChange={(event) => {
          const wanted = event.target.checked;
          setChoice(wanted);
          void props.onPatch({ visibility: wanted ? 'team' : 'private' }).finally(() => setChoice(null));
        }}
      />
      Shared with the team
    </label>
  );
}
