import { onClientCreated, type ServiceName } from '#runtime/clients';
import type { ChannelHandler } from '#local/environments/environment-pool';
import type { EnvironmentSetup } from '#local/environments/protocol';
import { instrumentWithFaults, type CallDraw, type CallFaultSource, type FaultInjector } from './fault-injector';

/** The channel between the injector on the main thread and the middleware in each environment. */
export const FAULTS_CHANNEL = 'faults';

type FaultMessage =
  | { op: 'active' }
  | { op: 'draw'; service: ServiceName; operation: string }
  | { op: 'count'; service: ServiceName; retries: number; failed: boolean };

const NO_FAULT: CallDraw = { delayMs: 0 };

/**
 * Inside an execution environment: the fault middleware on every client the handler builds, asking
 * the main thread's injector what to do to a call while a plan is set (and only then: without one,
 * calls are only counted, one message each, and go on at once).
 */
export const setupEnvironment: EnvironmentSetup = async (open) => {
  const channel = open(FAULTS_CHANNEL);
  let active = (await channel.request({ op: 'active' } satisfies FaultMessage)) === true;
  channel.onMessage((data) => {
    active = (data as { active: boolean }).active;
  });
  const source: CallFaultSource = {
    drawCall: (service, operation) =>
      active
        ? (channel.request({ op: 'draw', service, operation } satisfies FaultMessage) as Promise<CallDraw>)
        : NO_FAULT,
    countCall: (service, outcome) => channel.post({ op: 'count', service, ...outcome } satisfies FaultMessage),
  };
  onClientCreated((client, service) => instrumentWithFaults(client, service, source));
};

/** On the main thread: the injector's side of the channel. */
export function faultChannel(injector: FaultInjector): ChannelHandler {
  return (data) => {
    const message = data as FaultMessage;
    if (message.op === 'active') return injector.active;
    if (message.op === 'draw') return injector.drawCall(message.service, message.operation);
    injector.countCall(message.service, { retries: message.retries, failed: message.failed });
    return undefined;
  };
}
