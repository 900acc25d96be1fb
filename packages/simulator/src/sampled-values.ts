/** What the charger measures at one instant, for its MeterValues. */
export interface Reading {
  readonly registerWh: number;
  readonly powerW: number;
  readonly currentA: number;
  readonly offeredA: number;
  readonly voltageV: number;
}

/** One sampled value of `measurand` as an Easee reports it; undefined for a measurand it does not sample. */
export function sampledValue(measurand: string, reading: Reading, context = 'Sample.Periodic') {
  const base = { context, measurand, location: 'Outlet' } as const;
  switch (measurand) {
    case 'Energy.Active.Import.Register':
      return { ...base, value: String(reading.registerWh), unit: 'Wh' } as const;
    case 'Power.Active.Import':
      return { ...base, value: String(Math.round(reading.powerW)), unit: 'W' } as const;
    case 'Current.Import':
      return { ...base, value: reading.currentA.toFixed(1), unit: 'A' } as const;
    case 'Current.Offered':
      return { ...base, value: reading.offeredA.toFixed(1), unit: 'A' } as const;
    case 'Voltage':
      return { ...base, value: String(reading.voltageV), unit: 'V' } as const;
    case 'Temperature':
      return { ...base, value: '24', unit: 'Celsius', location: 'Body' } as const;
    default:
      return undefined;
  }
}
