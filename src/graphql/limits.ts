/** Longest free text accepted anywhere (requests, comments, search). */
export const MAX_TEXT_LENGTH = 2000;
/** Most signals in one recordSignals call. */
export const MAX_SIGNAL_BATCH = 500;
