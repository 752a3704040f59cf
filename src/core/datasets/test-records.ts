/**
 * Small conversation records for the builders' unit tests: a chain of messages with ids m1, m2, … whose
 * parents follow the order given, and a proposal or label where a test needs one. Only what builders read
 * is meaningful; the rest is filler.
 */
import type { ExecutionDto, ProposalDto } from '../api/terminal-schemas.ts';
import type { Conversation, Revision } from '../domain.ts';
import type { ConversationRecord, RecordLabel, RecordMessage } from './conversation-record.ts';

const AT = '2026-01-01T00:00:00.000Z';

export type MessageSpec = Partial<Omit<RecordMessage, 'revisions'>> &
  Pick<RecordMessage, 'role' | 'content'> & {
    /** Earlier texts of the message, oldest first, and who wrote each (the last revision is `content`). */
    earlier?: { content: string; editor: Revision['editor'] }[];
  };

export function recordMessage(spec: MessageSpec, index: number, parentId: string | null): RecordMessage {
  const { earlier = [], ...fields } = spec;
  const id = fields.id ?? `m${index + 1}`;
  const author =
    fields.author ?? (spec.role === 'assistant' ? 'model' : spec.role === 'tool' ? 'terminal' : 'human');
  const lastEditor: Revision['editor'] =
    earlier.length > 0
      ? 'human'
      : author === 'model'
        ? 'model'
        : author === 'terminal'
          ? 'terminal'
          : 'human';
  const texts = [...earlier, { content: spec.content, editor: lastEditor }];
  return {
    id,
    parentId,
    author,
    included: true,
    deleted: false,
    status: 'complete',
    toolCalls: [],
    toolCallId: null,
    summarizes: null,
    ...fields,
    revisions: texts.map((text, number) => ({
      number: number + 1,
      content: text.content,
      editor: text.editor,
    })),
  };
}

/** A record whose current path is `specs` in order (a spec's own `parentId` makes a branch). */
export function chainRecord(
  specs: MessageSpec[],
  extra: Partial<Omit<ConversationRecord, 'conversation' | 'messages'>> & {
    conversation?: Partial<Conversation>;
    leafId?: string;
  } = {},
): ConversationRecord {
  const messages: RecordMessage[] = [];
  let previous: string | null = null;
  for (const [index, spec] of specs.entries()) {
    const message = recordMessage(spec, index, spec.parentId === undefined ? previous : spec.parentId);
    messages.push(message);
    previous = message.id;
  }
  const { conversation, leafId, ...rest } = extra;
  return {
    conversation: {
      id: 'c1',
      title: 'Test',
      description: '',
      startupScript: '',
      currentLeafId: leafId ?? previous,
      createdAt: AT,
      updatedAt: AT,
      deletedAt: null,
      forkedFromConversationId: null,
      forkedFromMessageId: null,
      settings: {},
      ownerAccountId: null,
      visibility: 'team',
      ...conversation,
    },
    messages,
    proposals: [],
    executions: [],
    testRuns: [],
    labels: [],
    ...rest,
  };
}

export function testLabel(
  fields: Pick<RecordLabel, 'targetKind' | 'targetId' | 'name' | 'value'> & Partial<RecordLabel>,
): RecordLabel {
  return {
    id: `l-${fields.targetId}-${fields.name}`,
    reason: null,
    accountId: null,
    createdAt: AT,
    ...fields,
  };
}

export function testExecution(
  fields: Partial<ExecutionDto> & Pick<ExecutionDto, 'id' | 'commandRun'>,
): ExecutionDto {
  return {
    conversationId: 'c1',
    proposalId: null,
    commandProposed: null,
    status: 'completed',
    exitCode: 0,
    output: '',
    outputTruncated: false,
    durationMs: 1,
    sandbox: 'bwrap',
    cwd: null,
    resultMessageId: null,
    startedAt: AT,
    endedAt: AT,
    limitHit: null,
    approvedBy: 'human',
    accountId: null,
    actionRun: null,
    ...fields,
  };
}

export function testProposal(
  fields: Partial<ProposalDto> & Pick<ProposalDto, 'id' | 'messageId' | 'command'>,
): ProposalDto {
  return {
    conversationId: 'c1',
    position: 0,
    toolCallId: null,
    kind: 'command',
    action: null,
    testEditWarning: false,
    timeoutSeconds: null,
    status: 'completed',
    reason: null,
    createdAt: AT,
    updatedAt: AT,
    decidedByAccountId: null,
    execution: null,
    ...fields,
  };
}

/** The records as the async source exportDataset reads. */
export async function* recordsOf(...records: ConversationRecord[]): AsyncGenerator<ConversationRecord> {
  yield* records;
}
