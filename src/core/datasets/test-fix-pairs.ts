/**
 * Test-fix pairs (issue 9 item 2, the original's idea): a request of the person that led to a failing test
 * run and later to a passing one gives an example pairing the request with the final passing change.
 *
 * - The request is a person's user message on the current path; what followed it, up to their next request,
 *   is its window (each execution belongs to the message that proposed it, or that holds its output).
 * - In the window: the first failing test run, then the first passing one after it. Without both, no pair.
 * - The change is every file write or edit and every command of the window up to the passing run that did
 *   its job (a command that exited 0, a file action that completed), as it ran (a person's edit of a proposal
 *   counts), in order, ending with the passing test command itself. Left out: the attempts that failed
 *   (a failed command or action changed nothing that should be learned), reads (they change nothing), the
 *   test runs before the passing one, and whatever edited a test file (by the conversation's test-file
 *   patterns: the point is a change that makes the tests pass, not one that makes them say so).
 *
 * Every successful edit of the window is kept, not only those after the last failure: an edit_file call
 * reads the file as the earlier edits left it, so the calls replay to the passing state only together.
 */
import type { ExecutionDto } from '../api/terminal-schemas.ts';
import type { ToolCall } from '../domain.ts';
import { commandTouchesTestFile } from '../test-runs/command-touches-test-file.ts';
import { DEFAULT_TEST_FILE_PATTERNS, isTestFile } from '../test-runs/test-file-patterns.ts';
import { chatTranscript, type TranscriptMessage, type TranscriptOptions } from './chat-transcript.ts';
import { currentPath } from './conversation-path.ts';
import type { ConversationRecord, RecordMessage } from './conversation-record.ts';
import { ranCall } from './proposal-calls.ts';

export interface TestFixPair {
  requestMessageId: string;
  /** The transcript up to and including the request. */
  prompt: TranscriptMessage[];
  /** The passing change as tool calls, the passing test command last. */
  calls: ToolCall[];
}

function isRequest(message: RecordMessage): boolean {
  return (
    message.role === 'user' &&
    message.author === 'human' &&
    message.toolCallId === null &&
    !message.summarizes?.length
  );
}

const byStart = (a: ExecutionDto, b: ExecutionDto) =>
  a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0;

/**
 * @example testFixPairs(record, { includeUnchecked: false }).map((pair) => pair.calls.map((call) => call.name))
 */
export function testFixPairs(record: ConversationRecord, options: TranscriptOptions): TestFixPair[] {
  // A pair needs a failing and a passing run: most conversations have none, and cost no path here.
  if (record.testRuns.length < 2) return [];
  const path = currentPath(record);
  const position = new Map(path.map((message, index) => [message.id, index]));
  const proposalMessage = new Map(record.proposals.map((proposal) => [proposal.id, proposal.messageId]));
  const proposalCallId = new Map(record.proposals.map((proposal) => [proposal.id, proposal.toolCallId]));
  const settings = record.conversation.settings;
  const patterns = settings.testFilePatterns ?? DEFAULT_TEST_FILE_PATTERNS;
  const testRuns = new Map(record.testRuns.map((run) => [run.executionId, run]));

  // For each place on the path, the request at or before it (-1: none yet).
  const requestAt: number[] = [];
  for (const [index, message] of path.entries()) {
    requestAt.push(isRequest(message) ? index : (requestAt[index - 1] ?? -1));
  }
  // Executions grouped by the request whose window they fall in.
  const windows = new Map<number, ExecutionDto[]>();
  for (const execution of record.executions) {
    const messageId =
      (execution.proposalId === null ? undefined : proposalMessage.get(execution.proposalId)) ??
      execution.resultMessageId;
    const at = messageId === null || messageId === undefined ? undefined : position.get(messageId);
    if (at === undefined) continue;
    const request = requestAt[at] ?? -1;
    if (request < 0) continue;
    windows.set(request, [...(windows.get(request) ?? []), execution]);
  }

  const pairs: TestFixPair[] = [];
  for (const [index, executions] of [...windows.entries()].sort((a, b) => a[0] - b[0])) {
    const request = path[index] as RecordMessage;
    if (request.deleted || (!options.includeUnchecked && !request.included)) continue;
    executions.sort(byStart);
    const failing = executions.findIndex((execution) => testRuns.get(execution.id)?.status === 'failed');
    if (failing < 0) continue;
    const passing = executions.findIndex(
      (execution, at) => at > failing && testRuns.get(execution.id)?.status === 'passed',
    );
    if (passing < 0) continue;
    const workspace = { workspace: settings.workspace };
    const change = executions.slice(0, passing).filter((execution) => {
      if (testRuns.has(execution.id) || execution.status !== 'completed') return false;
      const action = execution.actionRun;
      if (action !== null)
        return action.tool !== 'read_file' && !isTestFile(action.path, patterns, workspace);
      return execution.exitCode === 0 && !commandTouchesTestFile(execution.commandRun, patterns, workspace);
    });
    // The model's own call id when the execution answered one, so the line can be traced back.
    const calls = [...change, executions[passing] as ExecutionDto].map((execution) =>
      ranCall(
        (execution.proposalId === null ? null : proposalCallId.get(execution.proposalId)) ??
          `call_${execution.id}`,
        execution,
      ),
    );
    pairs.push({
      requestMessageId: request.id,
      prompt: chatTranscript(record, path.slice(0, index + 1), options),
      calls,
    });
  }
  return pairs;
}
