import { readFile, writeFile } from 'node:fs/promises';
import { buildApi } from '@fleetwire/api';
import { TokenSet } from '@fleetwire/auth';
import { InProcessBus } from '@fleetwire/bus';
import { memoryStores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const typesFile = new URL('../web/api-types.ts', import.meta.url);
const header =
  "// Generated from the API's OpenAPI document by packages/dashboard/test/api-types.test.ts\n" +
  '// (UPDATE_API_TYPES=1 pnpm exec vitest run packages/dashboard): do not edit.\n';

describe("the dashboard's API types", () => {
  it("are the ones the API's OpenAPI document gives", async () => {
    const stores = memoryStores(4);
    const app = await buildApi({
      bus: new InProcessBus(),
      chargers: stores.chargers,
      idTags: stores.idTags,
      sites: stores.sites,
      transactions: stores.transactions,
      events: stores.events,
      tokens: stores.tokens,
      adminTokens: TokenSet.fromTokens(['fw_types_test']),
      shardCount: 4,
      callTimeoutMs: 1_000,
      logger: createLogger({ level: 'silent' }),
      readiness: () => ({ ready: true }),
    });
    const generated = header + astToString(await openapiTS(app.swagger() as never));
    await app.close();
    if (process.env.UPDATE_API_TYPES === '1') await writeFile(typesFile, generated);
    expect(await readFile(typesFile, 'utf8'), 'regenerate with UPDATE_API_TYPES=1').toBe(generated);
  });
});
