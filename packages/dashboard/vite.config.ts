import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Everything bundled (no CDN); hashed file names, so the API can cache them for ever and index.html never.
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});
