/**
 * The signals that end a command run from a terminal or a CI job: Ctrl-C (SIGINT), a cancelled
 * job (SIGTERM) and a closed terminal or a lost SSH session (SIGHUP). A release rolls back on any
 * of them, and an apply asks the deploy in flight to stop.
 */
export const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export type TerminationSignal = (typeof TERMINATION_SIGNALS)[number];

/** Calls `listener` with the signal's name for each termination signal, until the returned function is called. */
export function onTerminationSignals(listener: (signal: TerminationSignal) => void): () => void {
  const handlers = TERMINATION_SIGNALS.map((signal) => {
    const handler = () => listener(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
