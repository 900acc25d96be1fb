import type { Scenario } from './scenario.ts';
import { SeededRandom } from './seeded-random.ts';

/** A site as `PUT /api/sites/{siteId}` takes it. */
export interface SimulatedSite {
  readonly siteId: string;
  readonly name: string;
  readonly maxCurrentA: number;
  readonly chargers: readonly string[];
  readonly circuits: readonly {
    readonly id: string;
    readonly maxCurrentA: number;
    readonly chargers: readonly string[];
  }[];
}

/**
 * The sites of a scenario over a fleet's serials: taken in order, each site a number of chargers within the
 * scenario's range (the last one whatever is left), some of them on a circuit. The same seed gives the same sites.
 */
export function scenarioSites(scenario: Scenario, serials: readonly string[], seed = 1): SimulatedSite[] {
  const spec = scenario.sites;
  if (spec === undefined) return [];
  const random = new SeededRandom(seed);
  const sites: SimulatedSite[] = [];
  for (let next = 0, n = 1; next < serials.length; n++) {
    const size = Math.max(1, Math.round(random.between(spec.chargers[0], spec.chargers[1])));
    const members = serials.slice(next, next + size);
    next += members.length;
    const onCircuit = Math.round(members.length * (spec.circuitShare ?? 0));
    const circuitMembers = members.slice(members.length - onCircuit);
    const circuitRange = spec.circuitMaxCurrentA ?? spec.maxCurrentA;
    sites.push({
      siteId: `SITE${String(n).padStart(3, '0')}`,
      name: `Simulated site ${n}`,
      maxCurrentA: Math.round(random.between(spec.maxCurrentA[0], spec.maxCurrentA[1])),
      chargers: members.slice(0, members.length - onCircuit),
      circuits:
        circuitMembers.length === 0
          ? []
          : [
              {
                id: 'circuit-1',
                maxCurrentA: Math.round(random.between(circuitRange[0], circuitRange[1])),
                chargers: circuitMembers,
              },
            ],
    });
  }
  return sites;
}
