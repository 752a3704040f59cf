import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { shellSessionContract } from './shell-session-contract.ts';

shellSessionContract('bwrap', requirement('bubblewrap (bwrap)', hasExecutable('bwrap')), {
  create: (options) => createBwrapSession(options),
});
