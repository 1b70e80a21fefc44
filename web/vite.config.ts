import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

// The C++ server serves dist/ under a strict CSP (script-src 'self';
// style-src 'self'): nothing here may make Vite emit inline <script> or
// <style> into index.html.
export default defineConfig(({ mode }) => ({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // The polyfill is an inline script; every browser we target supports
    // <link rel="modulepreload"> natively.
    modulePreload: { polyfill: false },
    // Small assets would otherwise be inlined as data: URLs inside CSS/JS;
    // keep them as files so the CSP stays simple to reason about.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // During development the API is proxied to a locally running server.
    proxy: {
      // EGOVBOX_API=http://127.0.0.1:9000 npm run dev
      '/api': {
        target: loadEnv(mode, '.', 'EGOVBOX_').EGOVBOX_API ?? 'http://127.0.0.1:8080',
        changeOrigin: false,
        // /api/v1/ws is a WebSocket.
        ws: true,
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
}));
