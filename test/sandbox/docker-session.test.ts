import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { requirement } from '../support/environment.ts';
import { dockerWithImage } from './docker-available.ts';
import { shellSessionContract } from './shell-session-contract.ts';

shellSessionContract(
  'docker',
  requirement('a Docker engine with the sandbox image (scripts/ci-docker.sh)', dockerWithImage()),
  { create: (options) => createDockerSession(options) },
);
