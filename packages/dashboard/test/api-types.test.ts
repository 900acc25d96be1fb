import { readFile, writeFile } from 'node:fs/promises';
import { buildStandaloneApi } from '@fleetwire/api';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const typesFile = new URL('../web/api-types.ts', import.meta.url);
const header =
  "// Generated from the API's OpenAPI document by packages/dashboard/test/api-types.test.ts\n" +
  '// (UPDATE_API_TYPES=1 pnpm exec vitest run packages/dashboard): do not edit.\n';

describe("the dashboard's API types", () => {
  it("are the ones the API's OpenAPI document gives", async () => {
    const app = await buildStandaloneApi('fw_types_test');
    const generated = header + astToString(await openapiTS(app.swagger() as never));
    await app.close();
    if (process.env.UPDATE_API_TYPES === '1') await writeFile(typesFile, generated);
    expect(await readFile(typesFile, 'utf8'), 'regenerate with UPDATE_API_TYPES=1').toBe(generated);
  });
});
