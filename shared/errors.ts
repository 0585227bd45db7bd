/** The project's error family: every error has a stable `code` to decide on, never its message text. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'TOKEN_REJECTED'
  | 'BAD_REQUEST'
  | 'RESPONSE_TOO_LARGE'
  | 'JOB_INVALID'
  | 'CHAT_API_RETRYABLE'
  | 'CHAT_API_PERMANENT'
  | 'STORE_UNAVAILABLE';

export class AppError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends AppError {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`, 'CONFIG_INVALID');
  }
}

/** A request whose token does not verify. `reason` is logged; the token never is. */
export class TokenRejectedError extends AppError {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`, 'TOKEN_REJECTED');
  }
}

/** Input that cannot be an event: answered with 400 and a message saying what is wrong. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super(message, 'BAD_REQUEST');
  }
}

/** A Chat API call failed; `retryable` decides between redelivery and FAILED. */
export class ChatApiError extends AppError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, retryable ? 'CHAT_API_RETRYABLE' : 'CHAT_API_PERMANENT', options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
