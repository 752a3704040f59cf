import type { Terminal } from '../../agent/terminal.ts';
import {
  ExecutionSchema,
  ProposalListSchema,
  ProposalSchema,
  ProposeBody,
  RejectProposalBody,
  RunCommandBody,
  RunProposalBody,
  TerminalPlaceSchema,
} from '../../core/api/terminal-schemas.ts';
import type { Store } from '../../store/store.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function terminalRoutes(options: { store: Store; terminal: Terminal }): ApiRoute[] {
  const { store, terminal } = options;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/terminal',
      access: 'read',
      target: 'conversation',
      summary: 'Where the conversation’s commands run: its workspace folder and the sandbox in use',
      response: TerminalPlaceSchema,
      handler: ({ params }) => terminal.place(params.id!),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/proposals',
      access: 'read',
      target: 'conversation',
      summary: 'Every command proposed in the conversation, with its latest execution',
      response: ProposalListSchema,
      handler: async ({ params }) => ({ proposals: await terminal.list(params.id!) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/messages/:id/propose',
      access: 'run',
      target: 'message',
      summary:
        'Propose the commands of an assistant message a person wrote (its shell blocks, else its whole text)',
      body: ProposeBody,
      response: ProposalListSchema,
      status: 201,
      handler: async ({ params, body }) => ({
        proposals: await terminal.proposeFrom(await store.messages.get(params.id!), {
          send: body.send ?? false,
          wholeText: true,
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/proposals/:id/run',
      access: 'run',
      target: 'proposal',
      summary: 'Run a proposal (the edited text, if given); answers when it ends or after a short wait',
      body: RunProposalBody,
      response: ExecutionSchema,
      handler: ({ params, body }) => terminal.run(params.id!, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/proposals/:id/reject',
      access: 'run',
      target: 'proposal',
      summary: 'Reject a proposal; the model is told "rejected by the user: reason"',
      body: RejectProposalBody,
      response: ProposalSchema,
      handler: ({ params, body }) => terminal.reject(params.id!, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/run',
      access: 'run',
      target: 'conversation',
      summary: 'Run a command the person wrote, in the conversation’s shell',
      body: RunCommandBody,
      response: ExecutionSchema,
      handler: ({ params, body }) => terminal.runDirect(params.id!, body.command, body.timeoutSeconds),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/executions/:id/interrupt',
      access: 'run',
      target: 'execution',
      summary: 'Interrupt a running command (SIGINT to its process group, then SIGKILL)',
      response: ExecutionSchema,
      handler: ({ params }) => terminal.interrupt(params.id!),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/executions/:id',
      access: 'read',
      target: 'execution',
      summary: 'An execution: command as proposed and as run, status, exit code, output, timings',
      response: ExecutionSchema,
      handler: ({ params }) => terminal.get(params.id!),
    }),
  ];
}
