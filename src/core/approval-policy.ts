/**
 * Decides whether a proposed command runs without asking. Pure: the caller passes the conversation's
 * policy and sandbox; nothing here reads config. The read-only and run-everything policies apply only
 * inside a sandbox: on the host every command asks, whatever the policy says. What the read-only policy
 * approves must run through ShellSession.runIsolated (a fresh shell, git's code-running config
 * neutralised, patterns that cannot expand to options): its judgement of the text assumes that shell.
 */
import { readOnlyProblem } from './read-only/read-only-commands.ts';
import type { SandboxKind } from './shell-session.ts';
import { readShellWords } from './shell-words.ts';

export const APPROVAL_POLICIES = ['ask', 'read-only', 'all'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

export type ApprovalDecision =
  | { decision: 'auto-approve'; reason: string }
  | { decision: 'ask-user'; reason: string }
  | { decision: 'reject'; reason: string };

export interface ApprovalInput {
  command: string;
  policy: ApprovalPolicy;
  sandbox: SandboxKind;
}

/**
 * @example
 * decideApproval({ command: 'git status', policy: 'read-only', sandbox: 'bwrap' })
 * // { decision: 'auto-approve', reason: 'every part is on the read-only list' }
 * decideApproval({ command: 'ls > x', policy: 'read-only', sandbox: 'bwrap' })
 * // { decision: 'ask-user', reason: 'the redirection `> x` writes a file' }
 */
export function decideApproval(input: ApprovalInput): ApprovalDecision {
  const { command, policy, sandbox } = input;
  if (command.trim() === '') return { decision: 'reject', reason: 'the command is empty' };
  if (command.includes('\0')) return { decision: 'reject', reason: 'the command contains a NUL byte' };
  if (policy === 'ask') return { decision: 'ask-user', reason: 'the conversation asks before every command' };
  if (sandbox === 'host') {
    return {
      decision: 'ask-user',
      reason: `the "${policy}" policy applies only inside a sandbox; on the host every command asks`,
    };
  }
  if (policy === 'all') return { decision: 'auto-approve', reason: 'the conversation allows every command' };

  const reading = readShellWords(command);
  if (reading.kind === 'opaque') {
    return { decision: 'ask-user', reason: `${reading.reason} cannot be judged read-only from the text` };
  }
  for (const simpleCommand of reading.commands) {
    const problem = readOnlyProblem(simpleCommand);
    if (problem !== null) return { decision: 'ask-user', reason: problem };
  }
  return { decision: 'auto-approve', reason: 'every part is on the read-only list' };
}

export interface FileActionApprovalInput {
  tool: 'read_file' | 'write_file' | 'edit_file';
  policy: ApprovalPolicy;
  sandbox: SandboxKind;
}

/**
 * A file action (issue 8 item 1) is judged like a command: nothing runs by itself on the host; in a sandbox
 * the read-only policy lets a read through and the run-everything policy any action.
 *
 * @example
 * decideFileActionApproval({ tool: 'read_file', policy: 'read-only', sandbox: 'bwrap' })
 * // { decision: 'auto-approve', reason: 'reading a file of the workspace is read-only' }
 * decideFileActionApproval({ tool: 'edit_file', policy: 'all', sandbox: 'host' }).decision // 'ask-user'
 */
export function decideFileActionApproval(input: FileActionApprovalInput): ApprovalDecision {
  const { tool, policy, sandbox } = input;
  if (policy === 'ask') return { decision: 'ask-user', reason: 'the conversation asks before every action' };
  if (sandbox === 'host') {
    return {
      decision: 'ask-user',
      reason: `the "${policy}" policy applies only inside a sandbox; on the host every file action asks`,
    };
  }
  if (policy === 'all') return { decision: 'auto-approve', reason: 'the conversation allows every action' };
  return tool === 'read_file'
    ? { decision: 'auto-approve', reason: 'reading a file of the workspace is read-only' }
    : { decision: 'ask-user', reason: `${tool} changes the workspace; the read-only policy asks` };
}
