// Waits for the Wails bridge (window.go / window.runtime), which the shell
// injects before or shortly after our bundle runs.

declare global {
  interface Window {
    go?: { app?: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> };
    runtime?: unknown;
  }
}

export function bridgeReady(): boolean {
  return typeof window !== 'undefined' && !!window.go?.app?.Session && !!window.runtime;
}

/** Resolves once the bridge exists; rejects after timeoutMs. */
export async function waitForBridge(timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!bridgeReady()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('The Outpost backend did not answer. Close and reopen Outpost.');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
