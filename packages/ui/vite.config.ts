import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Workspace packages export `source` → src/*.ts: the bundle is built from the client's and the
  // contract's TypeScript sources, so `npm start` needs no separate build of those packages.
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
    // xterm.js is a third of the bundle: its own chunk (cached apart from the app's code).
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'xterm', test: /node_modules[\\/]@xterm[\\/]/ }] } },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
