import path from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(webDir, '..');

/**
 * adapter-node reads `package.json` from the working directory to keep `dependencies` out of the server
 * bundle. The project has one package.json, at the root, so the adapter runs from there; every path it
 * writes is absolute (`out` below, Kit's outDir), so nothing else moves.
 * @param {import('@sveltejs/kit').Adapter} inner
 * @returns {import('@sveltejs/kit').Adapter}
 */
function fromProjectRoot(inner) {
  return {
    ...inner,
    async adapt(builder) {
      const cwd = process.cwd();
      process.chdir(projectRoot);
      try {
        await inner.adapt(builder);
      } finally {
        process.chdir(cwd);
      }
    },
  };
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: fromProjectRoot(adapter({ out: path.join(webDir, 'build') })),
    // The web app only *types* itself against the API (hono/client); it never bundles API code.
    alias: { $api: '../api' },
  },
};

export default config;
