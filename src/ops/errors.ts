// An operations error: one plain sentence for the user, never a stack trace.
export class OpsError extends Error {}
