import { spawn } from 'node:child_process';

/**
 * Opens `url` where a display exists; a headless machine just shows the URL. The URL lands in the opener's
 * argv, which every user can read in the process list: pass only a single-use sign-in link, never the token.
 */
export function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin'
      ? 'open'
      : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
        ? 'xdg-open'
        : undefined;
  if (opener === undefined) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', (error) =>
    console.error(`could not open a browser (${error.message}); open the URL above`),
  );
  child.unref();
}
