import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

const kJpxDecoder = 'openjpeg_nowasm_fallback.js';

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
    rolldownOptions: {
      output: {
        // pdf.js imports its JavaScript JPEG 2000 decoder by a fixed name from
        // the directory it is told (documents/pdf_renderer.ts): keep that
        // name, in a directory named by the file's hash so that a new version
        // is a new URL (assets are cached as immutable).
        assetFileNames: (asset) =>
          asset.names.includes(kJpxDecoder) ? `assets/pdfjs-[hash]/${kJpxDecoder}` : 'assets/[name]-[hash][extname]',
      },
    },
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
