/**
 * Stand-ins for what a sandbox must never show: our config file (it may hold API keys), our database,
 * and the real user's credentials. Each holds a unique secret string, so a leak is found by content.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Decoys {
  root: string;
  workspace: string;
  configDir: string;
  dataDir: string;
  home: string;
  files: { path: string; secret: string }[];
  /** A file in the workspace holding every secret, to prove a search inside would find them. */
  control: string;
}

export async function makeDecoys(name: string): Promise<Decoys> {
  const root = await mkdtemp(join(tmpdir(), `mp-${name}-decoys-`));
  const workspace = join(root, 'workspace');
  const configDir = join(root, 'config', 'modelprogrammer');
  const dataDir = join(root, 'data', 'modelprogrammer');
  const home = join(root, 'home');
  const tag = randomBytes(8).toString('hex');
  const files = [
    { path: join(configDir, 'config.json'), secret: `DECOY-CONFIG-${tag}` },
    { path: join(dataDir, 'modelprogrammer.db'), secret: `DECOY-DATABASE-${tag}` },
    { path: join(home, '.ssh', 'id_ed25519'), secret: `DECOY-SSH-${tag}` },
    { path: join(home, '.aws', 'credentials'), secret: `DECOY-AWS-${tag}` },
  ];
  await mkdir(workspace, { recursive: true });
  for (const file of files) {
    await mkdir(join(file.path, '..'), { recursive: true });
    await writeFile(file.path, `${file.secret}\n`);
  }
  const control = join(workspace, 'control.txt');
  await writeFile(control, files.map((file) => file.secret).join('\n'));
  return { root, workspace, configDir, dataDir, home, files, control };
}

/** The part of a secret that is the same for every decoy of one set, to grep for all at once. */
export function secretTag(decoys: Decoys): string {
  return decoys.files[0]!.secret.replace(/^DECOY-CONFIG-/, '');
}
