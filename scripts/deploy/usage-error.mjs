/** A mistake in how the script was called (exit code 2), as against a gcloud call that failed (1). */
export class UsageError extends Error {}
