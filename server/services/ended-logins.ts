/** Ended logins each node remembers, the oldest forgotten first. */
const KEPT = 10_000;

/**
 * Logins ended on this node lately (POST /auth/logout). A request or a socket handshake whose
 * token was checked just before the logout, but that finishes or connects just after it, is
 * caught here: the socket is dropped, the request no longer counts its member as online.
 * (On another node the same race is open for the few milliseconds a request takes.)
 */
export function createEndedLogins(kept = KEPT) {
  const ids = new Set<string>();
  return {
    add(loginId: string): void {
      ids.add(loginId);
      if (ids.size > kept) ids.delete(ids.values().next().value!);
    },
    has: (loginId: string | undefined): boolean => loginId !== undefined && ids.has(loginId),
  };
}
export type EndedLogins = ReturnType<typeof createEndedLogins>;
