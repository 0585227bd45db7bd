/**
 * Errors of the fake. `ApiError` is what the Chat API would answer, sent in Google's JSON shape
 * (`{ error: { code, message, status } }`, AIP-193) so the real client parses it as it would in
 * production. `ControlError` is a misuse of the test controls.
 */

/** Canonical status names for the HTTP codes Google's front end uses. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export const statusName = (code: number): string => STATUS_NAMES[code] ?? 'UNKNOWN';

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string };
}

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get body(): GoogleErrorBody {
    return { error: { code: this.httpStatus, message: this.message, status: statusName(this.httpStatus) } };
  }
}

export const invalidArgument = (message: string) => new ApiError(400, message);
export const permissionDenied = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const alreadyExists = (message: string) => new ApiError(409, message);
export const resourceExhausted = (message: string) => new ApiError(429, message);

export type ControlErrorCode = 'INVALID' | 'NOT_FOUND' | 'CONFLICT';

const CONTROL_HTTP_STATUS: Record<ControlErrorCode, number> = { INVALID: 400, NOT_FOUND: 404, CONFLICT: 409 };

export class ControlError extends Error {
  constructor(
    message: string,
    readonly code: ControlErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get httpStatus(): number {
    return CONTROL_HTTP_STATUS[this.code];
  }
}
