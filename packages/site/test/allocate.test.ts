import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type Claimant } from '../src/index.ts';

const site = (limitA: number) => [{ id: 'site', limitA }];
const car = (serial: string, capA = 32, extra: Partial<Claimant> = {}): Claimant => ({
  serial,
  constraints: ['site'],
  wants: true,
  capA,
  ...extra,
});

describe('sharing a fuse', () => {
  it('gives every car the same share when all can take it', () => {
    expect(Object.fromEntries(allocate(site(63), [car('A'), car('B'), car('C')], 6))).toEqual({ A: 21, B: 21, C: 21 });
  });

  it('leaves what a car cannot take to the others, in whole amps up to the fuse', () => {
    const shares = allocate(site(63), [car('A', 10), car('B'), car('C')], 6);
    expect(shares.get('A')).toBe(10);
    expect((shares.get('B') ?? 0) + (shares.get('C') ?? 0)).toBe(53);
    expect(Math.abs((shares.get('B') ?? 0) - (shares.get('C') ?? 0))).toBeLessThanOrEqual(1);
  });

  it('serves as many as can have the minimum, first in line first, and pauses the rest', () => {
    const shares = allocate(site(20), [car('A'), car('B'), car('C'), car('D')], 6);
    expect(shares.get('D')).toBe(0);
    expect([shares.get('A'), shares.get('B'), shares.get('C')].every((amps) => (amps ?? 0) >= 6)).toBe(true);
    expect((shares.get('A') ?? 0) + (shares.get('B') ?? 0) + (shares.get('C') ?? 0)).toBe(20);
  });

  it('keeps a circuit under its own fuse and gives the rest of the site to the others', () => {
    const constraints = [
      { id: 'site', limitA: 40 },
      { id: 'circuit:1', limitA: 16 },
    ];
    const onCircuit = (serial: string) => car(serial, 32, { constraints: ['site', 'circuit:1'] });
    const shares = allocate(constraints, [onCircuit('A'), onCircuit('B'), car('C'), car('D')], 6);
    expect(Object.fromEntries(shares)).toEqual({ A: 8, B: 8, C: 12, D: 12 });
  });

  it('counts a charger it cannot steer at what it may be drawing, and gives nothing to cars that want none', () => {
    const shares = allocate(site(32), [car('A', 32, { heldA: 16 }), car('B'), car('C', 32, { wants: false })], 6);
    expect(Object.fromEntries(shares)).toEqual({ A: 16, B: 16, C: 0 });
  });

  it('never exceeds any fuse, never exceeds a cap, and gives each car either nothing or at least the minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 125 }),
        fc.integer({ min: 0, max: 63 }),
        fc.array(fc.record({ capA: fc.integer({ min: 0, max: 32 }), wants: fc.boolean(), onCircuit: fc.boolean() }), {
          maxLength: 40,
        }),
        (siteA, circuitA, cars) => {
          const constraints = [
            { id: 'site', limitA: siteA },
            { id: 'circuit', limitA: circuitA },
          ];
          const claimants = cars.map((spec, i) => ({
            serial: `C${i}`,
            constraints: spec.onCircuit ? ['site', 'circuit'] : ['site'],
            wants: spec.wants,
            capA: spec.capA,
          }));
          const shares = allocate(constraints, claimants, 6);
          let total = 0;
          let onCircuit = 0;
          for (const claimant of claimants) {
            const amps = shares.get(claimant.serial) ?? 0;
            expect(Number.isInteger(amps)).toBe(true);
            expect(amps === 0 || (amps >= 6 && amps <= claimant.capA && claimant.wants)).toBe(true);
            total += amps;
            if (claimant.constraints.includes('circuit')) onCircuit += amps;
          }
          expect(total).toBeLessThanOrEqual(siteA);
          expect(onCircuit).toBeLessThanOrEqual(circuitA);
        },
      ),
      { numRuns: 500 },
    );
  });
});
