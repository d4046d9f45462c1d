/** Whether an address points at this machine (where plain http is allowed for a provider or source in tests). */
export const isLoopbackUrl = (url: URL) => ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
