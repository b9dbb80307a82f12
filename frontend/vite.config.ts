/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Dev/preview only: proxy /api to a running Conduit (gunicorn) with the Host header of a tenant, e.g.
// CONDUIT_API=http://127.0.0.1:8000 CONDUIT_TENANT_HOST=demo.localhost npm run dev
const target = process.env.CONDUIT_API || 'http://127.0.0.1:8000';
const host = process.env.CONDUIT_TENANT_HOST || 'demo.localhost';
const proxy = {
  '/api': {
    target,
    changeOrigin: false,
    headers: { Host: host },
  },
};

export default defineConfig({
  base: '/',
  envPrefix: 'PUBLIC_',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { target: 'es2020', outDir: 'dist', assetsDir: 'assets', sourcemap: false, modulePreload: { polyfill: false } },
  server: { proxy },
  preview: { proxy },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
