import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/*
 * The tests bring their own browser: `npm ci && npm test` must work with no apt package and no
 * browser download. The Chromium of the npm package @sparticuz/chromium (brotli-compressed inside
 * the package, extracted to /tmp on first use) is driven by playwright-core. CHROMIUM_PATH picks a
 * browser of your own instead.
 */

const require = createRequire(import.meta.url);

/** Flags of chromium.args made for Lambda that do not suit a test run (the rest are kept). */
const DROPPED = new Set([
  '--single-process', // closing a browser context kills the whole browser
  "--headless='shell'", // the quotes reach Chromium as they are; plain --headless below
  '--disable-web-security', // the page should meet the same-origin policy an operator's browser applies
  '--allow-running-insecure-content',
  '--use-gl=angle', // GPU emulation: --disable-gpu instead
  '--use-angle=swiftshader',
  '--in-process-gpu',
  '--ignore-gpu-blocklist',
]);
/** Chromium keeps the last of each: these would replace playwright-core's own feature lists. */
const DROPPED_PREFIXES = ['--disable-features=', '--enable-features='];
/** Root, no display, no network: no sandbox, no GPU, nothing fetched in the background. */
const REQUIRED = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The Chromium flags the tests launch with: chromium.args without the Lambda-only ones, plus REQUIRED. */
export function browserFlags(): string[] {
  const kept = sparticuz.args.filter(
    (flag) => !DROPPED.has(flag) && !DROPPED_PREFIXES.some((prefix) => flag.startsWith(prefix)),
  );
  return [...new Set([...kept, ...REQUIRED])];
}

/**
 * Environment of the packaged Chromium. It links libnss3, libnspr4 and libexpat, which a plain
 * Debian with Node lacks: the package's own copies (bin/al2023.tar.br) come first on the library
 * path. Its fonts serve when the machine has no fontconfig setup.
 */
async function packagedEnv(): Promise<Record<string, string>> {
  const bin = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'bin');
  const { default: lambdaFs } = require('@sparticuz/chromium/build/lambdafs') as {
    default: { inflate(path: string): Promise<string> };
  };
  const libs = join(await lambdaFs.inflate(join(bin, 'al2023.tar.br')), 'lib');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  env.LD_LIBRARY_PATH = [libs, ...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : [])].join(':');
  if (!env.FONTCONFIG_PATH && !existsSync('/etc/fonts/fonts.conf')) env.FONTCONFIG_PATH = join(tmpdir(), 'fonts');
  return env;
}

/** A headless Chromium: @sparticuz/chromium's, or the one at CHROMIUM_PATH. */
export async function launchBrowser(): Promise<Browser> {
  const own = process.env.CHROMIUM_PATH;
  const executablePath = own ?? (await sparticuz.executablePath());
  return chromium.launch({
    executablePath,
    args: browserFlags(),
    headless: true,
    ...(own ? {} : { env: await packagedEnv() }),
  });
}
