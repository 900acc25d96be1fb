import type { RPCClient } from 'ocpp-rpc';
import { type ChargerOptions, connectCharger } from './chargers.ts';

export interface ReceivedCall {
  readonly method: string;
  readonly params: any;
}

/**
 * A strict ocpp-rpc charger that answers every central-system CALL (from `answers`, else a plain Accepted) and
 * records what it received, so a test can show a command reached the charger, or that nothing did.
 */
export async function recordingCharger(
  ocppUrl: string,
  serial: string,
  answers: Record<string, (params: any) => unknown> = {},
  options: ChargerOptions = {},
): Promise<{ client: RPCClient; received: ReceivedCall[] }> {
  const client = await connectCharger(ocppUrl, serial, options);
  const received: ReceivedCall[] = [];
  client.handle(async ({ method, params }: { method?: string; params?: any }) => {
    received.push({ method: method as string, params });
    const answer = answers[method as string];
    return (answer === undefined ? { status: 'Accepted' } : answer(params)) as Record<string, any>;
  });
  return { client, received };
}
