/** This worker does not (or no longer) own the charger's shard; the sender retries with the current owner. */
export class NotOwnerError extends Error {
  constructor(serial: string, shard: number) {
    super(`not-owner: shard ${shard} of ${serial} is not owned by this worker`);
    this.name = 'NotOwnerError';
  }
}

export function isNotOwnerMessage(message: string): boolean {
  return message.startsWith('not-owner:');
}
