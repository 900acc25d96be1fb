import type { ChargerContext, ChargerEvent } from '../model.ts';
import type { Answer, Reduction } from '../reduction.ts';
import { authorize } from './authorization.ts';
import { bootNotification, heartbeat } from './boot.ts';
import { dataTransfer, diagnosticsStatus, firmwareStatus, securityEvent, signCertificate } from './notifications.ts';
import { statusNotification } from './status.ts';
import { meterValues, startTransaction, stopTransaction } from './transactions.ts';

type CallEvent = Extract<ChargerEvent, { type: 'CALL' }>;
type Handler = (context: ChargerContext, call: CallEvent, reduction: Reduction) => Answer;

const handlers: Record<string, Handler> = {
  Authorize: (context, call) => authorize(context, call.payload, call.lookups),
  BootNotification: (context, call, reduction) => bootNotification(context, call.payload, call.lookups, reduction),
  DataTransfer: (context, call, reduction) => dataTransfer(context, call.payload, reduction),
  DiagnosticsStatusNotification: (context, call, reduction) => diagnosticsStatus(context, call.payload, reduction),
  FirmwareStatusNotification: (context, call, reduction) => firmwareStatus(context, call.payload, reduction),
  Heartbeat: (context, _call, reduction) => heartbeat(context, reduction),
  LogStatusNotification: (context, call, reduction) => diagnosticsStatus(context, call.payload, reduction),
  MeterValues: (context, call, reduction) => meterValues(context, call.payload, call.violation, reduction),
  SecurityEventNotification: (context, call, reduction) => securityEvent(context, call.payload, reduction),
  SignCertificate: (context, _call, reduction) => signCertificate(context, reduction),
  SignedFirmwareStatusNotification: (context, call, reduction) => firmwareStatus(context, call.payload, reduction),
  StartTransaction: (context, call, reduction) =>
    startTransaction(context, call.payload, call.violation, call.lookups, reduction),
  StatusNotification: (context, call, reduction) => statusNotification(context, call.payload, call.lookups, reduction),
  StopTransaction: (context, call, reduction) =>
    stopTransaction(context, call.payload, call.violation, call.lookups, reduction),
};

export function handlesAction(action: string): boolean {
  return Object.hasOwn(handlers, action);
}

export function answer(context: ChargerContext, call: CallEvent, reduction: Reduction): Answer {
  const handler = handlers[call.action];
  if (handler === undefined) throw new Error(`no handler for ${call.action}`);
  return handler(context, call, reduction);
}
