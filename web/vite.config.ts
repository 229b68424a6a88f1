// Builds the console into web/dist (index.html + hashed files under /assets/), which the unyo
// binary serves at `/`. `npm run dev` serves the sources with the API proxied to a running
// `unyo serve` (UNYO_URL, default http://127.0.0.1:8080).

import { defineConfig } from 'vite';

const target = process.env['UNYO_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
    base: '/',
    esbuild: {
        jsx: 'automatic',
        jsxImportSource: 'preact',
    },
    build: {
        outDir: 'dist',
        assetsDir: 'assets',
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: false,
        // One small app: a single script and stylesheet load fastest from the embedded files.
        modulePreload: { polyfill: false },
        reportCompressedSize: false,
    },
    server: {
        proxy: {
            '/api': { target, changeOrigin: false },
            '/healthz': target,
            '/readyz': target,
        },
    },
});
