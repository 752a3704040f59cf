import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // One bundle served from this machine's disk (~0.7 MB, 0.2 MB gzipped): splitting it buys little here.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.MP_PORT ?? '7878'}`, changeOrigin: false } },
  },
});
