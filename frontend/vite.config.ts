import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Go's `//go:embed all:frontend/dist` needs a file in dist/ on a fresh clone,
// so dist/.gitkeep is committed; emit it with the build, which empties dist/.
const keepDist = {
  name: 'keep-dist-placeholder',
  generateBundle(this: { emitFile(f: { type: 'asset'; fileName: string; source: string }): string }) {
    this.emitFile({ type: 'asset', fileName: '.gitkeep', source: '' });
  },
};

// The Wails dev binary serves frontend/dist (-assetdir), so the build must be
// self-contained with relative asset paths.
export default defineConfig({
  plugins: [svelte(), keepDist],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
