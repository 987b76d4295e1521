// Compiles the server for production: server/src/main.ts bundled into server/dist/main.js (our
// own code and @fanlab/shared inlined, packages from node_modules imported as they are), and each
// migration into server/dist/migrations/. `npm start` runs this, then the compiled server: no
// TypeScript loader on the hot path. Like the client's build, it writes into a folder of its own
// and swaps it in (scripts/lib/swap-build.mjs), so a server starting meanwhile never sees half a build.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildInto } from '../../scripts/lib/swap-build.mjs';

const server = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const root = path.dirname(server);

/** Bare imports stay imports (resolved from node_modules at run time), except our own workspace. */
const packagesExternal = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@fanlab/') ? undefined : { path: args.path, external: true },
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [packagesExternal],
};

const migrations = (await readdir(path.join(root, 'migrations'))).filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f));
await buildInto(path.join(server, 'dist'), async (next) => {
  await build({ ...common, entryPoints: [path.join(server, 'src', 'main.ts')], outfile: path.join(next, 'main.js') });
  await build({
    ...common,
    entryPoints: migrations.map((f) => path.join(root, 'migrations', f)),
    outdir: path.join(next, 'migrations'),
  });
});
