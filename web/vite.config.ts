import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API server during development (npm run dev starts it next to Vite). */
const API_TARGET = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      // @fanlab/shared's schemas (TypeBox) are for the server: building one has no side effect,
      // so the schemas the client never reads drop out of its bundle.
      treeshake: { manualPureFunctions: ['Type'] },
      output: {
        // Libraries change less often than the app: a chunk of their own stays cached across releases.
        // uPlot is only for the lazy dashboard page: it stays in that page's chunk.
        codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/](?!uplot[\\/])/ }] },
      },
    },
  },
  server: {
    proxy: {
      // No changeOrigin: the API checks that Origin matches Host, and both must stay the dev server's.
      '/api': { target: API_TARGET, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: API_TARGET, ws: true },
    },
  },
});
