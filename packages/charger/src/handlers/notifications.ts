import { asInteger, asString, fieldOf } from '../lenient.ts';
import type { ChargerContext } from '../model.ts';
import type { Answer, Reduction } from '../reduction.ts';

/** FirmwareStatusNotification and SignedFirmwareStatusNotification: progress of a firmware update. */
export function firmwareStatus(context: ChargerContext, payload: unknown, reduction: Reduction): Answer {
  const status = asString(fieldOf(payload, 'status')) ?? 'Unknown';
  const requestId = asInteger(fieldOf(payload, 'requestId'));
  reduction.emit('firmware', { status, ...(requestId === undefined ? {} : { requestId }) });
  return { context: { ...context, firmware: { status, at: reduction.at } }, response: {} };
}

/** DiagnosticsStatusNotification and LogStatusNotification: progress of a diagnostics or log upload. */
export function diagnosticsStatus(context: ChargerContext, payload: unknown, reduction: Reduction): Answer {
  const status = asString(fieldOf(payload, 'status')) ?? 'Unknown';
  const requestId = asInteger(fieldOf(payload, 'requestId'));
  reduction.emit('diagnostics', { status, ...(requestId === undefined ? {} : { requestId }) });
  return { context: { ...context, diagnostics: { status, at: reduction.at } }, response: {} };
}

export function securityEvent(context: ChargerContext, payload: unknown, reduction: Reduction): Answer {
  reduction.emit('security', {
    kind: asString(fieldOf(payload, 'type')) ?? 'Unknown',
    timestamp: asString(fieldOf(payload, 'timestamp')) ?? null,
    techInfo: asString(fieldOf(payload, 'techInfo')) ?? null,
  });
  return { context, response: {} };
}

/** Fleetwire has no certificate authority of its own yet, so a CSR is refused, and recorded. */
export function signCertificate(context: ChargerContext, reduction: Reduction): Answer {
  reduction.emit('security', { kind: 'SignCertificateRefused', reason: 'no certificate authority configured' });
  return { context, response: { status: 'Rejected' } };
}

/**
 * No vendor extension is implemented on this side, so every vendorId is unknown (OCPP 1.6 §4.3);
 * the data is still kept as an event for whoever wants to read it.
 */
export function dataTransfer(context: ChargerContext, payload: unknown, reduction: Reduction): Answer {
  reduction.emit('data-transfer', {
    vendorId: asString(fieldOf(payload, 'vendorId')) ?? '',
    messageId: asString(fieldOf(payload, 'messageId')) ?? null,
    data: asString(fieldOf(payload, 'data')) ?? null,
  });
  return { context, response: { status: 'UnknownVendorId' } };
}
