/** docs/design.md: serials are matched before they enter a subject or a key; anything else is refused at the door. */
export const serialPattern = /^[A-Za-z0-9_-]{1,48}$/;

export function isValidSerial(serial: unknown): serial is string {
  return typeof serial === 'string' && serialPattern.test(serial);
}
