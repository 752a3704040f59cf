import { useSyncExternalStore } from 'react';
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
        checked={shared}
        disabled={!mayChange || conversation.ownerAccountId === null}
        onChange={(event) => void props.onPatch({ visibility: event.target.checked ? 'team' : 'private' })}
      />
      Shared with the team
    </label>
  );
}
