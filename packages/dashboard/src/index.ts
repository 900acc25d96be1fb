import { fileURLToPath } from 'node:url';

/** The dashboard's built files (`pnpm --filter @fleetwire/dashboard build`), for the API to serve at `/`. */
export const dashboardDir = fileURLToPath(new URL('../dist/', import.meta.url));
