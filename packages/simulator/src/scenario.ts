import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { CarModel } from './car.ts';
import type { ConnectorError } from './easee-charge-point.ts';

export type Range = readonly [number, number];

export interface Incident {
  readonly chance: number;
  readonly minutes?: Range;
  readonly codes?: readonly Exclude<ConnectorError, 'NoError'>[];
}

/** How a simulated fleet lives; a JSON file per scenario (scenarios/*.json, schema in scenario.schema.json). */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly installation: {
    readonly threePhaseShare: number;
    readonly voltageV: number;
    readonly maxCurrentA: number[];
  };
  readonly cars: readonly (CarModel & { readonly weight: number })[];
  readonly idTags?: { readonly prefix: string; readonly count: number };
  /** Chargers behind shared fuses: the fleet's serials taken in order, site after site. */
  readonly sites?: {
    readonly chargers: Range;
    /** The site's fuse per phase, amps. */
    readonly maxCurrentA: Range;
    /** The share of a site's chargers on a circuit of its own inside it, with its fuse. */
    readonly circuitShare?: number;
    readonly circuitMaxCurrentA?: Range;
  };
  readonly chargingAtStart?: number;
  readonly cycle: {
    readonly idleMinutes: Range;
    readonly stayMinutes: Range;
    readonly arrivalStateOfCharge: Range;
    readonly authorization: Partial<Record<'card' | 'unknownCard' | 'freeCharging' | 'remoteStart', number>>;
    /** How long after plugging in the driver presents the card, simulated seconds (default 3 to 20). */
    readonly cardAfterSeconds?: Range;
    readonly pause?: Incident;
    readonly fault?: Incident;
    readonly reboot?: Incident;
    readonly powerCut?: Incident;
  };
}

export const scenarioDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

let compiled: ValidateFunction | undefined;

async function validator(): Promise<ValidateFunction> {
  if (compiled === undefined) {
    const schema = JSON.parse(await readFile(join(scenarioDir, 'scenario.schema.json'), 'utf8'));
    compiled = new Ajv2020({ allErrors: true }).compile(schema);
  }
  return compiled;
}

/** The id tags of a scenario's cards: `${prefix}${n}`, n from 1, zero-padded to four digits. */
export function scenarioIdTags(scenario: Scenario): string[] {
  const { prefix, count } = scenario.idTags ?? { prefix: 'SIMTAG', count: 100 };
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

/** Loads a scenario by name (a file in scenarios/) or by path, and checks it against the schema. */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const path = nameOrPath.endsWith('.json') ? nameOrPath : join(scenarioDir, `${nameOrPath}.json`);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`scenario ${nameOrPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const check = await validator();
  if (!check(data)) {
    const reasons = (check.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new Error(`scenario ${nameOrPath} is invalid: ${reasons.join('; ')}`);
  }
  return data as Scenario;
}
