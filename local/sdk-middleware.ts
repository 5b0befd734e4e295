/**
 * An AWS SDK client as the local instruments (fault injector, benchmark counters and timers) see it:
 * only its middleware stack, whose typed overloads differ per client, so any client is taken as this.
 */
export type SdkMiddleware<Args = unknown, Result = unknown> = (
  next: (args: Args) => Promise<Result>,
  context: { commandName?: string },
) => (args: Args) => Promise<Result>;

export interface SdkMiddlewareStack {
  add<Args, Result>(
    middleware: SdkMiddleware<Args, Result>,
    options: { step: string; priority: string; name: string },
  ): void;
  identify(): string[];
}

export function middlewareStackOf(client: object): SdkMiddlewareStack {
  return (client as { middlewareStack: SdkMiddlewareStack }).middlewareStack;
}
