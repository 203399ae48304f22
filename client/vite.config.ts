import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app: `vite build --config client/vite.config.ts` writes dist/client, which the server
 * serves at / (server/http/app.ts). `vite --config client/vite.config.ts` serves it with hot
 * reload and forwards the API, Socket.IO and collab to a server on :3000 (`npm run dev`).
 */
const api = process.env.MENTEO_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The app imports '@menteo/sdk' as an outside app would; here it resolves to the SDK's source.
  resolve: { alias: { '@menteo/sdk': fileURLToPath(new URL('./src/sdk/index.ts', import.meta.url)) } },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
      '/collab': { target: api, ws: true },
    },
  },
});
