/** What one legacy import added to the store. */
export interface LegacyImportCounts {
  conversations: number;
  messages: number;
  /** Revisions after the first: the original's edits. */
  revisions: number;
  modelCalls: number;
  /** Of `modelCalls`, those that matched no message (kept with the conversation closest in time). */
  unlinkedModelCalls: number;
  /** Conversations an earlier import created and the person has since deleted: left deleted. */
  skippedConversations: number;
}

/** The one line `mp import legacy` ends with. */
export function legacyImportSummary(
  counts: LegacyImportCounts,
  fileName: string,
  conversationsInFile: number,
): string {
  if (conversationsInFile === 0) return `Nothing to import from ${fileName} (it holds no conversations)`;
  const added = counts.conversations + counts.messages + counts.revisions + counts.modelCalls;
  if (added === 0) return `Nothing new to import from ${fileName} (already imported)`;
  const calls =
    counts.unlinkedModelCalls > 0
      ? `${count(counts.modelCalls, 'model call')} (${counts.unlinkedModelCalls} not linked to a message)`
      : count(counts.modelCalls, 'model call');
  const skipped =
    counts.skippedConversations > 0
      ? `; skipped ${count(counts.skippedConversations, 'conversation')} deleted since an earlier import`
      : '';
  return (
    `Imported ${count(counts.conversations, 'conversation')}, ${count(counts.messages, 'message')} ` +
    `(${count(counts.revisions, 'edit')} as revisions), ${calls} from ${fileName}${skipped}`
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
