import type { SetChargingProfileRequest } from '@fleetwire/ocpp';

export type ChargingProfile = SetChargingProfileRequest['csChargingProfiles'];
export type ChargingSchedule = ChargingProfile['chargingSchedule'];

/** A profile the charger accepted, on the connector it was set for. */
export interface InstalledProfile {
  readonly connectorId: number;
  readonly profile: ChargingProfile;
}

export interface ClearFilter {
  readonly id?: number;
  readonly connectorId?: number;
  readonly chargingProfilePurpose?: string;
  readonly stackLevel?: number;
}

/**
 * The installed profiles after a SetChargingProfile the charger accepted: the same chargingProfileId, or the same
 * stackLevel and purpose on the same connector, is replaced (OCPP 1.6 §3.13.2, §5.16.3).
 */
export function install(installed: readonly InstalledProfile[], next: InstalledProfile): InstalledProfile[] {
  const { profile } = next;
  return [
    ...installed.filter(
      ({ connectorId, profile: other }) =>
        other.chargingProfileId !== profile.chargingProfileId &&
        !(
          connectorId === next.connectorId &&
          other.stackLevel === profile.stackLevel &&
          other.chargingProfilePurpose === profile.chargingProfilePurpose
        ),
    ),
    next,
  ];
}

/** The installed profiles after a ClearChargingProfile the charger accepted (OCPP 1.6 §5.5). */
export function clear(installed: readonly InstalledProfile[], filter: ClearFilter): InstalledProfile[] {
  if (filter.id !== undefined) return installed.filter(({ profile }) => profile.chargingProfileId !== filter.id);
  return installed.filter(
    ({ connectorId, profile }) =>
      !(
        (filter.connectorId === undefined || connectorId === filter.connectorId) &&
        (filter.chargingProfilePurpose === undefined ||
          profile.chargingProfilePurpose === filter.chargingProfilePurpose) &&
        (filter.stackLevel === undefined || profile.stackLevel === filter.stackLevel)
      ),
  );
}

/**
 * An Easee charger has one connector, which OCPP calls both 0 and 1 (docs/reference/easee.md §0.1): a profile for either
 * is kept as connector 0, so a re-send on the other is recognised as the same profile.
 */
export function onEaseeConnector(profile: InstalledProfile): InstalledProfile {
  return profile.connectorId === 1 ? { ...profile, connectorId: 0 } : profile;
}

/** Whether sending `next` would change nothing on the charger: the same profile already installed there. */
export function isInstalled(installed: readonly InstalledProfile[], next: InstalledProfile): boolean {
  const text = JSON.stringify(next.profile);
  return installed.some(
    ({ connectorId, profile }) => connectorId === next.connectorId && JSON.stringify(profile) === text,
  );
}
