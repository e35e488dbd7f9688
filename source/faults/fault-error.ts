/** A fault that cannot go ahead, with a message for the user. */
export class FaultError extends Error {
  override name = 'FaultError';
}
