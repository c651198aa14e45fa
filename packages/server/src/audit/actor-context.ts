// Who is making an admin change, for the audit trail. The REST admin routes run each handler
// inside `runAsAuditActor` with the caller's token username and address, so the service layer
// learns the actor without every service function and route growing an extra parameter; adminops
// gives its actor (the OS user) when it creates the service.
import { AsyncLocalStorage } from "node:async_hooks";

export interface AuditActor {
  readonly actor: string;
  readonly sourceAddress?: string | null;
}

const current = new AsyncLocalStorage<AuditActor>();

export function runAsAuditActor<T>(actor: AuditActor, work: () => T): T {
  return current.run(actor, work);
}

/** The actor of the running request, if a route set one. */
export function currentAuditActor(): AuditActor | undefined {
  return current.getStore();
}
