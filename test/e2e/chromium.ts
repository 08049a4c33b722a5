/** Debian's Chromium driven by playwright-core, for the browser tests and the screenshot script. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where CI (.ci/run) installs Chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.PAPERBOY_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Why the browser tests cannot run here, or undefined when they can. In CI a missing Chromium is an
 * error (the tests must not pass by skipping); elsewhere the tests are skipped with this message.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set PAPERBOY_CHROMIUM)`;
}

/** Whether a missing browser must fail the run rather than skip (CI sets CI=true). */
export const inCi = Boolean(process.env.CI);

/** Starts headless Chromium, with extra command-line switches when a test needs them (say, a host name mapped to the test server). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...extraArgs], headless: true });
}
