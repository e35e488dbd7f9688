/** A fault that cannot go ahead, with a message for the user. */
export class FaultError extends Error {
  override name = 'FaultError';
  /**
   * A safety check of the fault's own refused it (a partition that would break quorum): said
   * and journaled as a refusal, as the guards' are, not as a failure.
   */
  readonly refusal: boolean;

  constructor(message: string, options: { refusal?: boolean } = {}) {
    super(message);
    this.refusal = options.refusal ?? false;
  }
}

/** True for a FaultError that is a refusal (see FaultError.refusal). */
export function isRefusal(error: unknown): error is FaultError {
  return error instanceof FaultError && error.refusal;
}
