import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.MP_PORT ?? '7878'}`, changeOrigin: false } },
  },
});
