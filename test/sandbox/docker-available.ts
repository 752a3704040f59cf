import { execFileSync } from 'node:child_process';
import { DEFAULT_DOCKER_IMAGE } from '../../src/sandbox/docker-session.ts';

/** A Docker engine answers and has the sandbox image (scripts/ci-docker.sh provides both). */
export function dockerWithImage(image = DEFAULT_DOCKER_IMAGE): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
      stdio: 'ignore',
      timeout: 15_000,
    });
    return true;
  } catch {
    return false;
  }
}

/** The sandbox image has `tool` on its PATH (git for the read-only policy's git commands). */
export function dockerImageHas(tool: string, image = DEFAULT_DOCKER_IMAGE): boolean {
  try {
    execFileSync(
      'docker',
      ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', `command -v ${tool}`],
      { stdio: 'ignore', timeout: 30_000 },
    );
    return true;
  } catch {
    return false;
  }
}
