import { describe, expect, it } from 'vitest';
import {
  commandCatalog,
  commandResponseBody,
  decodeCommandArguments,
  decodeValue,
  encodeCommand,
  encodeValue,
  msOfTicks,
  observationBody,
  observationCatalog,
  ocppStatusOfOpMode,
  parseOperatorMessage,
  parseRoutingKey,
  readStreamSession,
  ticksOf,
} from '../src/index.ts';

const spec = (id: number) => {
  const found = observationCatalog.get(id);
  if (found === undefined) throw new Error(`no observation ${id}`);
  return found;
};

describe('values', () => {
  it('reads booleans as "1"/"0" and "true"/"false"', () => {
    for (const [raw, value] of [
      ['1', true],
      ['0', false],
      ['True', true],
      ['false', false],
    ] as const) {
      expect(decodeValue(spec(31), raw)).toEqual({ ok: true, value });
    }
    expect(decodeValue(spec(31), 'yes').ok).toBe(false);
  });

  it('reads invariant doubles, converting kW to W and kWh to Wh', () => {
    expect(decodeValue(spec(120), '7.4')).toEqual({ ok: true, value: 7400 });
    expect(decodeValue(spec(124), '1047.886')).toEqual({ ok: true, value: 1047886 });
    // Found by the rolling-upgrade audit: kWh text scaled to Wh must be the Wh the cloud meant, exactly.
    for (const wh of [4073, 1, 999_999_999, 123_456_789_012]) {
      expect(decodeValue(spec(124), encodeValue(spec(124), wh))).toEqual({ ok: true, value: wh });
    }
    expect(decodeValue(spec(48), '16')).toEqual({ ok: true, value: 16 });
    expect(decodeValue(spec(120), '7,4').ok).toBe(false);
    expect(decodeValue(spec(109), '3.5').ok).toBe(false);
  });

  it('reads the JSON session records of 223 and 129 into Wh', () => {
    const start = decodeValue(
      spec(223),
      '{"Id":136,"MeterValue":1047.886754,"Start":"2026-11-22T10:00:00Z","Auth":"CUID2242678","AuthReason":"BlindlyAcceptToken"}',
    );
    expect(start.ok && readStreamSession(start.value)).toEqual({
      sessionId: 136,
      startedAt: '2026-11-22T10:00:00Z',
      meterStartWh: 1047886.754,
      auth: 'CUID2242678',
      authReason: 'BlindlyAcceptToken',
    });
    const done = decodeValue(
      spec(129),
      '{"Id":136,"Start":"2026-11-22T10:00:00Z","Stop":"2026-11-22T11:00:00Z","EnergyKwh":7.25,"MeterValueStart":1047.886754,"MeterValueStop":1055.136754}',
    );
    expect(done.ok && readStreamSession(done.value)).toMatchObject({
      sessionId: 136,
      energyWh: 7250,
      meterStopWh: 1055136.754,
    });
    expect(decodeValue(spec(129), '{not json').ok).toBe(false);
  });

  it('maps op modes to OCPP statuses as Easee documents', () => {
    expect(ocppStatusOfOpMode(2)).toBe('SuspendedEVSE');
    expect(ocppStatusOfOpMode(6)).toBe('SuspendedEV');
    expect(ocppStatusOfOpMode(3)).toBe('Charging');
    expect(ocppStatusOfOpMode(0)).toBeUndefined();
  });
});

describe('routing keys and ticks', () => {
  it('parses 3- and 4-segment keys and refuses others', () => {
    expect(parseRoutingKey('EH123456.O.109')).toEqual({ serial: 'EH123456', kind: 'O', id: 109 });
    expect(parseRoutingKey('EH123456.CR.48.638575365195311640')).toEqual({
      serial: 'EH123456',
      kind: 'CR',
      id: 48,
      ticks: '638575365195311640',
    });
    expect(parseRoutingKey('EH123456.X.1')).toBeUndefined();
    expect(parseRoutingKey('EH123456.O')).toBeUndefined();
    expect(parseRoutingKey('a.O.1.2.3')).toBeUndefined();
  });

  it('converts .NET ticks both ways', () => {
    // The Unix epoch is 621355968000000000 ticks (DateTime.UnixEpoch.Ticks).
    expect(ticksOf(0)).toBe('621355968000000000');
    const ms = Date.parse('2024-07-25T10:58:39.531Z');
    expect(ticksOf(ms)).toBe('638575019195310000');
    expect(msOfTicks(ticksOf(ms))).toBe(ms);
  });
});

describe('commands', () => {
  it('encodes SetDynamicChargerCurrent as Easee documents it', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    const encoded = encodeCommand('SetDynamicChargerCurrent', { current: 13, ttlMinutes: 5 }, now, 60_000);
    expect(encoded).toEqual({
      ok: true,
      command: {
        commandId: 48,
        name: 'SetDynamicChargerCurrent',
        ticks: ticksOf(now),
        body: {
          Id: 48,
          Timestamp: '2026-11-22T10:00:00.000Z',
          ExpiresAt: '2026-11-22T10:01:00.000Z',
          Arguments: [
            { Id: 1, Value: '13' },
            { Id: 2, Value: '5' },
          ],
        },
      },
    });
  });

  it('refuses unknown commands, unknown, missing, mistyped and out-of-range arguments', () => {
    expect(encodeCommand('MakeCoffee', {}, 0, 1)).toEqual({ ok: false, reason: 'unknown Easee command MakeCoffee' });
    expect(encodeCommand('SetEnabled', { enabled: true, color: 'red' }, 0, 1).ok).toBe(false);
    expect(encodeCommand('SetDynamicChargerCurrent', { current: 13 }, 0, 1)).toEqual({
      ok: false,
      reason: 'SetDynamicChargerCurrent: ttlMinutes is required',
    });
    expect(encodeCommand('SetEnabled', { enabled: 'yes' }, 0, 1).ok).toBe(false);
    expect(encodeCommand('SetDynamicChargerCurrent', { current: 99, ttlMinutes: 5 }, 0, 1)).toEqual({
      ok: false,
      reason: 'SetDynamicChargerCurrent: current must be at most 40',
    });
  });

  it('covers every operator command, and reads its arguments back', () => {
    expect([...commandCatalog.values()].map((command) => command.id).sort((a, b) => a - b)).toEqual([
      1, 2, 4, 11, 21, 22, 24, 25, 26, 29, 30, 47, 48, 63,
    ]);
    const encoded = encodeCommand(
      'SetDynamicCircuitCurrent',
      { currentP1: 10.5, currentP2: 0, currentP3: 16, ttlMinutes: 3 },
      0,
      1,
    );
    if (!encoded.ok) throw new Error(encoded.reason);
    expect(
      decodeCommandArguments(commandCatalog.get('SetDynamicCircuitCurrent') as never, encoded.command.body),
    ).toEqual({
      currentP1: 10.5,
      currentP2: 0,
      currentP3: 16,
      ttlMinutes: 3,
    });
  });
});

describe('operator queue messages', () => {
  it('reads an observation in the documented wire format', () => {
    const { routingKey, body } = observationBody('EH123456', 120, '7.4', '2026-11-22T10:00:00Z');
    expect(parseOperatorMessage(routingKey, JSON.stringify(body))).toEqual({
      ok: true,
      message: {
        kind: 'observation',
        serial: 'EH123456',
        observationId: 120,
        name: 'TotalPower',
        timestamp: '2026-11-22T10:00:00Z',
        timestampMs: Date.parse('2026-11-22T10:00:00Z'),
        value: 7400,
        arrivalTime: body.ArrivalTime,
      },
    });
  });

  it('reads a command response, with ticks from the body or the 4th routing key segment', () => {
    const { routingKey, body } = commandResponseBody('EH123456', 48, '638575365195311640', true);
    expect(parseOperatorMessage(routingKey, JSON.stringify(body))).toMatchObject({
      ok: true,
      message: {
        kind: 'command-response',
        serial: 'EH123456',
        commandId: 48,
        ticks: '638575365195311640',
        wasAccepted: true,
      },
    });
  });

  it('reads numeric Ticks of 18 digits exactly, as their text', () => {
    // Easee's REST example: {"device":"EH…","commandId":48,"ticks":638575365195311640}; as a double it would be …1600.
    const text = `{"CommandResponse":{"Id":48,"SerialNumber":"EH1","Ticks":638575365195311647,"WasAccepted":true}}`;
    expect(parseOperatorMessage('EH1.CR.48', text)).toMatchObject({
      ok: true,
      message: { ticks: '638575365195311647' },
    });
  });

  it('says why a message is malformed', () => {
    const good = observationBody('EH1', 109, '3', '2026-11-22T10:00:00Z');
    const reasons = [
      parseOperatorMessage('EH1.O.109', '{nope'),
      parseOperatorMessage('EH1.Z.109', JSON.stringify(good.body)),
      parseOperatorMessage('EH1.O.9999', JSON.stringify({ Observation: { Id: 9999, Timestamp: 'x', Value: '1' } })),
      parseOperatorMessage(
        'EH1.O.109',
        JSON.stringify({ ...good.body, Observation: { ...good.body.Observation, Value: 'three' } }),
      ),
      parseOperatorMessage('EH2.O.109', JSON.stringify(good.body)),
      parseOperatorMessage('EH1.CR.48', JSON.stringify(commandResponseBody('EH9', 48, '1', true).body)),
    ].map((parsed) => (parsed.ok ? 'ok' : parsed.reason));
    expect(reasons).toEqual([
      'body is not JSON',
      'unrecognised routing key "EH1.Z.109"',
      'unknown observation id 9999',
      'observation 109 ChargerOpMode: expected an integer, got "three"',
      'body RoutingKey EH1.O.109 does not match EH2.O.109',
      'body RoutingKey EH9.CR.48.1 does not match EH1.CR.48',
    ]);
  });
});

describe('encodeValue', () => {
  it('is the inverse of decodeValue for every observation type', () => {
    const samples: [number, unknown][] = [
      [31, true],
      [109, 3],
      [120, 7400],
      [124, 1047886],
      [128, '04A1B2'],
      [223, { Id: 1, Start: '2026-11-22T10:00:00Z' }],
      [25, { lat: 59.9, lon: 10.7 }],
    ];
    for (const [id, value] of samples) {
      expect(decodeValue(spec(id), encodeValue(spec(id), value))).toEqual({ ok: true, value });
    }
  });
});
