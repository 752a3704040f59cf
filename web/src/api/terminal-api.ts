/** The terminal routes of the API (issue 4): proposals, running and rejecting them, direct commands. */
import {
  type ExecutionDto,
  ExecutionSchema,
  type FileAction as FileActionDto,
  type ProposalDto,
  ProposalListSchema,
  ProposalSchema,
  type TerminalPlaceDto,
  TerminalPlaceSchema,
} from '../../../src/core/api/terminal-schemas.ts';
import { conversationPath, messagePath, request } from './client.ts';

export type Proposal = ProposalDto;
export type Execution = ExecutionDto;
export type FileAction = FileActionDto;
export type TerminalPlace = TerminalPlaceDto;

const proposalPath = (id: string) => `/api/proposals/${encodeURIComponent(id)}`;
const executionPath = (id: string) => `/api/executions/${encodeURIComponent(id)}`;

export const terminalApi = {
  /** The folder and sandbox the conversation's commands run in now (automatic choices resolved). */
  place(conversationId: string): Promise<TerminalPlace> {
    return request('GET', `${conversationPath(conversationId)}/terminal`, TerminalPlaceSchema);
  },
  async proposals(conversationId: string): Promise<Proposal[]> {
    return (await request('GET', `${conversationPath(conversationId)}/proposals`, ProposalListSchema))
      .proposals;
  },
  /** The original app's Run on an assistant message a person wrote: its shell blocks, else its whole text. */
  async propose(messageId: string, options: { send?: boolean } = {}): Promise<Proposal[]> {
    return (await request('POST', `${messagePath(messageId)}/propose`, ProposalListSchema, options))
      .proposals;
  },
  /** `action`: a file action as the person changed it before applying (same tool and path). */
  run(
    proposalId: string,
    body: { command?: string; action?: FileAction; send?: boolean } = {},
  ): Promise<Execution> {
    return request('POST', `${proposalPath(proposalId)}/run`, ExecutionSchema, body);
  },
  reject(proposalId: string, body: { reason?: string; send?: boolean } = {}): Promise<Proposal> {
    return request('POST', `${proposalPath(proposalId)}/reject`, ProposalSchema, body);
  },
  runDirect(conversationId: string, body: { command: string; timeoutSeconds?: number }): Promise<Execution> {
    return request('POST', `${conversationPath(conversationId)}/run`, ExecutionSchema, body);
  },
  interrupt(executionId: string): Promise<Execution> {
    return request('POST', `${executionPath(executionId)}/interrupt`, ExecutionSchema, {});
  },
  execution(executionId: string): Promise<Execution> {
    return request('GET', executionPath(executionId), ExecutionSchema);
  },
};
