import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStandaloneApi } from '../src/index.ts';

describe('the OpenAPI document', () => {
  let app: FastifyInstance;
  let document: Record<string, any>;

  beforeAll(async () => {
    app = await buildStandaloneApi('fw_openapi_test');
    document = app.swagger() as Record<string, any>;
  });

  afterAll(async () => {
    await app.close();
  });

  it('names a component schema for every body, the charger detail, schedule, command and transaction included', () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['ChargerDetail', 'ChargingSchedule', 'CommandRecord', 'Transaction', 'Error']),
    );
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const status of ['401', '403', '429'])
          expect(operation.responses[status], `${method} ${path} ${status}`).toBeDefined();
        const body = operation.requestBody?.content;
        for (const [type, media] of Object.entries(
          (body ?? {}) as Record<string, { schema: Record<string, unknown> }>,
        )) {
          if (
            type === 'application/json' &&
            media.schema.type !== 'array' &&
            !path.endsWith('{action}') &&
            !path.includes('/easee/')
          ) {
            expect(media.schema.$ref, `${method} ${path} body`).toMatch(/^#\/components\/schemas\//);
          }
        }
      }
    }
    expect(document.paths['/api/events'].get.responses['200'].content).toHaveProperty('text/event-stream');
    expect(document.paths['/api/transactions'].get.responses['200'].content).toHaveProperty('text/csv');
  });

  it('serves the rendered reference at /api/docs from its own files, not a CDN', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const described = problems.map(
      (problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`,
    );
    expect(described).toEqual([]);
  });
});
