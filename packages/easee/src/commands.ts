import { ticksOf } from './ticks.ts';

export type ArgumentType = 'integer' | 'double' | 'boolean' | 'string';

export interface ArgumentSpec {
  readonly id: number;
  /** The argument's name in our API (camelCase). */
  readonly key: string;
  readonly type: ArgumentType;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  readonly optional?: boolean;
}

export interface CommandSpec {
  readonly id: number;
  readonly name: string;
  readonly args: readonly ArgumentSpec[];
  readonly meaning: string;
  /** Observations the charger reports back once the command took effect. */
  readonly observes: readonly number[];
}

const amps = (id: number, key: string, type: 'integer' | 'double', max: number): ArgumentSpec => ({
  id,
  key,
  type,
  min: 0,
  max,
});
const ttl = (id: number): ArgumentSpec => ({ id, key: 'ttlMinutes', type: 'integer', min: 0, max: 1_440 });

/** The operator commands of the Easee stream (docs/reference/easee.md §0.2, §3), with typed arguments. */
const specs: readonly CommandSpec[] = [
  { id: 1, name: 'Reboot', args: [], meaning: 'reboot the charger', observes: [] },
  {
    id: 2,
    name: 'PollSingle',
    args: [{ id: 1, key: 'observationId', type: 'integer', min: 1, max: 65_535 }],
    meaning: 'have one observation sent again now',
    observes: [],
  },
  { id: 4, name: 'UpgradeFirmware', args: [], meaning: 'upgrade to the latest firmware (delta OTA)', observes: [80] },
  {
    id: 11,
    name: 'SetSmartCharging',
    args: [{ id: 1, key: 'smartCharging', type: 'boolean' }],
    meaning: 'smart charging on or off',
    observes: [102],
  },
  {
    id: 21,
    name: 'SetDynamicCurrentOfflineFallback',
    args: [
      amps(1, 'currentP1', 'integer', 80),
      amps(2, 'currentP2', 'integer', 80),
      amps(3, 'currentP3', 'integer', 80),
    ],
    meaning: 'circuit current per phase when the charger is offline',
    observes: [50, 51, 52],
  },
  {
    id: 22,
    name: 'SetDynamicCircuitCurrent',
    args: [
      amps(1, 'currentP1', 'double', 80),
      amps(2, 'currentP2', 'double', 80),
      amps(3, 'currentP3', 'double', 80),
      ttl(4),
    ],
    meaning: 'volatile circuit current per phase for a time (all 0 pauses); send to the circuit master',
    observes: [111, 112, 113],
  },
  {
    id: 24,
    name: 'SetMaxCircuitCurrent',
    args: [
      amps(1, 'currentP1', 'integer', 80),
      amps(2, 'currentP2', 'integer', 80),
      amps(3, 'currentP3', 'integer', 80),
    ],
    meaning: 'circuit max current per phase, written to flash: permanent changes only',
    observes: [22, 23, 24],
  },
  {
    id: 25,
    name: 'AuthorizeCharging',
    args: [
      { id: 1, key: 'idToken', type: 'string', maxLength: 64 },
      { id: 2, key: 'status', type: 'integer', min: 0, max: 255 },
    ],
    meaning: 'accept an RFID token or a remote start (Easee itself uses status 42 for accept)',
    observes: [223],
  },
  {
    id: 26,
    name: 'DeauthorizeCharging',
    args: [
      { id: 1, key: 'idToken', type: 'string', maxLength: 64 },
      { id: 2, key: 'status', type: 'integer', min: 0, max: 255 },
    ],
    meaning: 'refuse or end the authorization of a token',
    observes: [],
  },
  {
    id: 29,
    name: 'SetEnabled',
    args: [{ id: 1, key: 'enabled', type: 'boolean' }],
    meaning: 'enable or disable the charger',
    observes: [31],
  },
  {
    id: 30,
    name: 'SetLockCablePermanently',
    args: [{ id: 1, key: 'locked', type: 'boolean' }],
    meaning: 'lock the cable permanently or not',
    observes: [30],
  },
  {
    id: 47,
    name: 'SetMaxChargerCurrent',
    args: [amps(1, 'current', 'integer', 40)],
    meaning: 'charger max current, written to flash: permanent changes only',
    observes: [47],
  },
  {
    id: 48,
    name: 'SetDynamicChargerCurrent',
    args: [amps(1, 'current', 'integer', 40), ttl(2)],
    meaning: 'volatile charger current for a time (0 pauses); falls back to the prior limit after the TTL',
    observes: [48],
  },
  { id: 63, name: 'OverrideSchedule', args: [], meaning: 'ignore the schedule for the current session', observes: [] },
];

/**
 * The observations a command changes and the value each takes once it took effect (docs/reference/easee.md §0.2: a
 * delivered command yields a response and an observation of the new value). Reboot reports its reason (89) with
 * any value; firmware its release (80).
 */
export function commandEffects(commandId: number, args: Readonly<Record<string, unknown>>): [number, unknown][] {
  switch (commandId) {
    case 48:
    case 47:
      return [[commandId, args.current]];
    case 29:
      return [[31, args.enabled]];
    case 30:
      return [[30, args.locked]];
    case 11:
      return [[102, args.smartCharging]];
    case 22:
      return [
        [111, args.currentP1],
        [112, args.currentP2],
        [113, args.currentP3],
      ];
    case 24:
      return [
        [22, args.currentP1],
        [23, args.currentP2],
        [24, args.currentP3],
      ];
    case 21:
      return [
        [50, args.currentP1],
        [51, args.currentP2],
        [52, args.currentP3],
      ];
    default:
      return [];
  }
}

/** Commands that must not be sent twice: a second Reboot reboots the charger again (docs/reference/easee-behaviours.md S2). */
export const nonIdempotentCommands: ReadonlySet<number> = new Set([1, 4]);

export const commandCatalog: ReadonlyMap<string, CommandSpec> = new Map(specs.map((spec) => [spec.name, spec]));
export const commandsById: ReadonlyMap<number, CommandSpec> = new Map(specs.map((spec) => [spec.id, spec]));

/** What is published to the operator exchange for one command. */
export interface EncodedCommand {
  readonly commandId: number;
  readonly name: string;
  /** .NET ticks of `Timestamp`: how the command response is matched to it. */
  readonly ticks: string;
  readonly body: {
    readonly Id: number;
    readonly Timestamp: string;
    readonly ExpiresAt: string;
    readonly Arguments: readonly { readonly Id: number; readonly Value: string }[];
  };
}

export type Encoding =
  | { readonly ok: true; readonly command: EncodedCommand }
  | { readonly ok: false; readonly reason: string };

function encodeArgument(spec: ArgumentSpec, value: unknown): string | string[] {
  const problems: string[] = [];
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') return [`${spec.key} must be true or false`];
      // Masterloop's Boolean converter reads only "1" and "0".
      return value ? '1' : '0';
    case 'string':
      if (typeof value !== 'string' || value === '') return [`${spec.key} must be a non-empty string`];
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        return [`${spec.key} must be at most ${spec.maxLength} characters`];
      }
      return value;
    case 'integer':
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${spec.key} must be a number`];
      if (spec.type === 'integer' && !Number.isInteger(value)) problems.push(`${spec.key} must be a whole number`);
      if (spec.min !== undefined && value < spec.min) problems.push(`${spec.key} must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) problems.push(`${spec.key} must be at most ${spec.max}`);
      // Invariant culture: "." as decimal separator, as Number#toString writes it.
      return problems.length > 0 ? problems : String(value);
    }
  }
}

/**
 * Checks and encodes a command by name with its arguments by API key, e.g.
 * `encodeCommand('SetDynamicChargerCurrent', { current: 13, ttlMinutes: 5 }, now, 60_000)`.
 */
export function encodeCommand(
  name: string,
  args: Readonly<Record<string, unknown>>,
  now: number,
  expiresInMs: number,
): Encoding {
  const spec = commandCatalog.get(name);
  if (spec === undefined) return { ok: false, reason: `unknown Easee command ${name}` };
  const unknown = Object.keys(args).filter((key) => !spec.args.some((arg) => arg.key === key));
  if (unknown.length > 0) return { ok: false, reason: `${name} has no argument ${unknown.join(', ')}` };
  const encoded: { Id: number; Value: string }[] = [];
  const problems: string[] = [];
  for (const arg of spec.args) {
    const value = args[arg.key];
    if (value === undefined) {
      if (arg.optional !== true) problems.push(`${arg.key} is required`);
      continue;
    }
    const result = encodeArgument(arg, value);
    if (Array.isArray(result)) problems.push(...result);
    else encoded.push({ Id: arg.id, Value: result });
  }
  if (problems.length > 0) return { ok: false, reason: `${name}: ${problems.join('; ')}` };
  return {
    ok: true,
    command: {
      commandId: spec.id,
      name,
      ticks: ticksOf(now),
      body: {
        Id: spec.id,
        Timestamp: new Date(now).toISOString(),
        ExpiresAt: new Date(now + expiresInMs).toISOString(),
        Arguments: encoded,
      },
    },
  };
}

/** Reads the arguments of a command body back by API key (what a charger, or the fake cloud, does). */
export function decodeCommandArguments(spec: CommandSpec, body: EncodedCommand['body']): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const { Id, Value } of body.Arguments) {
    const arg = spec.args.find((candidate) => candidate.id === Id);
    if (arg === undefined) continue;
    decoded[arg.key] =
      arg.type === 'boolean'
        ? Value === '1' || Value.toLowerCase() === 'true'
        : arg.type === 'string'
          ? Value
          : Number(Value);
  }
  return decoded;
}
