/**
 * What a database written by the original 2023 Python/Qt ModelProgrammer holds, as plain rows. The store's
 * legacy reader produces it; everything under `core/legacy` turns it into an import plan.
 */

/** `messages.type` in the original (its `MessageType` enum); anything else is treated as `unknown`. */
export const LEGACY_MESSAGE_TYPES = {
  rawResponse: 0,
  formattedResponse: 1,
  manualEntry: 2,
  terminalOutput: 3,
  edit: 4,
  unknown: 5,
} as const;

export interface LegacyMessageRow {
  id: number;
  /** SHA-256 of the content JSON. The original stored each distinct content once, so it names the message. */
  hash: string;
  /** JSON: `{role, name?, content}`, or a whole `chat.completion` response for type 0. */
  content: string;
  /** Wall-clock time of the machine that ran the original, without a zone: `2023-04-02 16:02:41[.ffffff]`. */
  datetime: string;
  type: number;
  role: string;
  /** For an edit (type 4), the message it edits. Set, but meaningless, on other types. */
  sourceId: number | null;
}

/** A `conversations` row: the original saved one of these on every change, so each is a snapshot. */
export interface LegacySnapshotRow {
  id: number;
  hash: string;
  datetime: string;
  description: string;
  startupScript: string;
  /** Message ids in `message_order`, each position once. */
  messageIds: number[];
}

export interface LegacyDatabase {
  messages: LegacyMessageRow[];
  snapshots: LegacySnapshotRow[];
}
