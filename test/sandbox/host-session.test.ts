import { createHostSession } from '../../src/sandbox/host-session.ts';
import { shellSessionContract } from './shell-session-contract.ts';

shellSessionContract('host', true, { create: (options) => createHostSession(options) });
