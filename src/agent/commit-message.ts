/**
 * The Commit action's message (issue 8 item 3): drafted by the conversation's model from the diff a commit
 * would hold now, for the person to edit before committing. The call is recorded like any other.
 */
import { InvalidRequestError } from '../core/errors.ts';
import type { Store } from '../store/store.ts';
import { draftWithModel } from './model-draft.ts';
import type { ProviderResolver } from './model-turns.ts';
import type { WorkspaceView } from './workspace-view.ts';

const INSTRUCTION =
  'Write a git commit message for the changes below: a summary line of at most 72 characters in the ' +
  'imperative mood, a blank line, then a short body saying what changed and why when that is not obvious. ' +
  'Answer with the message only, no fences, no commentary.';

/** The diff the model reads is cut here; the file list above it is whole. */
const MAX_DIFF_CHARS = 60_000;

export async function draftCommitMessage(options: {
  store: Store;
  providers: ProviderResolver;
  view: WorkspaceView;
  conversationId: string;
}): Promise<{ message: string; modelCallId: string | null }> {
  const pending = await options.view.pendingDiff(options.conversationId);
  if (pending.files.length === 0) {
    throw new InvalidRequestError('nothing to commit: the workspace has no changes against its last commit');
  }
  const diff =
    pending.text.length > MAX_DIFF_CHARS
      ? `${pending.text.slice(0, MAX_DIFF_CHARS)}\n[… the rest of the diff was cut …]`
      : pending.text;
  const { content, modelCallId } = await draftWithModel({
    store: options.store,
    providers: options.providers,
    conversationId: options.conversationId,
    what: 'the commit message',
    maxOutputTokens: 500,
    messages: () => [
      {
        role: 'user',
        content: `${INSTRUCTION}\n\nFiles:\n${pending.files.join('\n')}\n\nDiff:\n${diff}`,
      },
    ],
  });
  return { message: content.trim(), modelCallId };
}
