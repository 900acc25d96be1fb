import { budgetAt, easeeBudget, fullBudget, spendWrite } from '@fleetwire/command-rules';
import { type ChargingProfile, type ClearFilter, clear, install } from '@fleetwire/smart-charging';
import { asInteger, asString, fieldOf } from '../lenient.ts';
import type { CentralCommand, ChargerContext, ChargerEvent, LocalAuthList } from '../model.ts';
import type { Reduction } from '../reduction.ts';

const rememberedCommands = 30;

type Settled = Extract<ChargerEvent, { type: 'CS_CALL_SETTLED' }>;

function status(response: unknown): string | undefined {
  return asString(fieldOf(response, 'status'));
}

function applyLocalList(list: LocalAuthList | null, request: unknown): LocalAuthList {
  const version = asInteger(fieldOf(request, 'listVersion')) ?? 0;
  const updates = (fieldOf(request, 'localAuthorizationList') as unknown[] | undefined) ?? [];
  const entries: Record<string, unknown> =
    asString(fieldOf(request, 'updateType')) === 'Full' ? {} : { ...(list?.entries ?? {}) };
  for (const update of updates) {
    const idTag = asString(fieldOf(update, 'idTag'));
    if (idTag === undefined) continue;
    const info = fieldOf(update, 'idTagInfo');
    // Differential: an entry without idTagInfo is removed from the list (OCPP 1.6 §7.1).
    if (info === undefined) delete entries[idTag];
    else entries[idTag] = info;
  }
  return { version, entries };
}

/** What a central-system command the charger answered changes in the model. */
export function commandSettled(context: ChargerContext, settled: Settled, reduction: Reduction): ChargerContext {
  const command: CentralCommand = {
    requestId: settled.requestId,
    action: settled.action,
    request: settled.request,
    settledAt: settled.at,
    outcome: settled.outcome,
  };
  let next: ChargerContext = {
    ...context,
    lastSeenAt: settled.outcome.ok ? settled.at : context.lastSeenAt,
    centralCommands: [...context.centralCommands.slice(1 - rememberedCommands), command],
  };
  reduction.emit('command', {
    channel: 'ocpp',
    requestId: settled.requestId,
    action: settled.action,
    request: settled.request,
    outcome: settled.outcome,
  });
  if (!settled.outcome.ok) return next;
  const { response } = settled.outcome;
  const accepted = status(response) === 'Accepted';
  switch (settled.action) {
    case 'SetChargingProfile': {
      if (!accepted) break;
      const profile = fieldOf(settled.request, 'csChargingProfiles') as ChargingProfile;
      const connectorId = asInteger(fieldOf(settled.request, 'connectorId')) ?? 0;
      const { smartCharging } = next;
      const budget = smartCharging.writeBudget ?? fullBudget(easeeBudget, settled.at);
      next = {
        ...next,
        smartCharging: {
          ...smartCharging,
          installed: install(smartCharging.installed, { connectorId, profile }),
          writeBudget:
            settled.profileWrite === true
              ? spendWrite(budget, easeeBudget, settled.at)
              : budgetAt(budget, easeeBudget, settled.at),
        },
      };
      break;
    }
    case 'ClearChargingProfile': {
      if (!accepted) break;
      const filter: ClearFilter = {
        ...(asInteger(fieldOf(settled.request, 'id')) === undefined
          ? {}
          : { id: asInteger(fieldOf(settled.request, 'id')) }),
        ...(asInteger(fieldOf(settled.request, 'connectorId')) === undefined
          ? {}
          : { connectorId: asInteger(fieldOf(settled.request, 'connectorId')) }),
        ...(asString(fieldOf(settled.request, 'chargingProfilePurpose')) === undefined
          ? {}
          : { chargingProfilePurpose: asString(fieldOf(settled.request, 'chargingProfilePurpose')) }),
        ...(asInteger(fieldOf(settled.request, 'stackLevel')) === undefined
          ? {}
          : { stackLevel: asInteger(fieldOf(settled.request, 'stackLevel')) }),
      } as ClearFilter;
      next = {
        ...next,
        smartCharging: { ...next.smartCharging, installed: clear(next.smartCharging.installed, filter) },
      };
      break;
    }
    case 'GetCompositeSchedule':
      next = {
        ...next,
        smartCharging: { ...next.smartCharging, reported: { at: settled.at, request: settled.request, response } },
      };
      break;
    case 'RemoteStartTransaction': {
      const idTag = asString(fieldOf(settled.request, 'idTag'));
      if (!accepted || idTag === undefined) break;
      const connectorId = asInteger(fieldOf(settled.request, 'connectorId'));
      next = {
        ...next,
        remoteStarts: [
          ...next.remoteStarts,
          {
            requestId: settled.requestId,
            idTag,
            acceptedAt: settled.at,
            ...(connectorId === undefined ? {} : { connectorId }),
          },
        ],
      };
      break;
    }
    case 'SendLocalList':
      if (accepted) next = { ...next, localList: applyLocalList(next.localList, settled.request) };
      break;
  }
  return next;
}
