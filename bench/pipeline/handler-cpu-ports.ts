/**
 * The handlers' ports as the CPU benchmark builds them: each call of a port is one I/O phase
 * (decoding included), and the use cases' steps are timed through their step timer. The handlers
 * know nothing of this; their modules only take ports and a step timer.
 */
import type { DecidePorts } from '#functions/decide/decide-ports';
import type { MatchPorts } from '#functions/match/search-and-forward';
import { PHASES, timePhase } from '#bench/common/phase-timer';

/** A port whose every method runs as `phase`. */
export function timedPort<Port extends object>(port: Port, phase: string): Port {
  const timed: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(port)) {
    timed[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => timePhase(phase, () => (member as (...a: unknown[]) => unknown).apply(port, args))
        : member;
  }
  return timed as Port;
}

export function timedMatchPorts(ports: MatchPorts): MatchPorts {
  return {
    openGallery: (onRead) => timedPort(ports.openGallery(onRead), PHASES.galleryRead),
    decisions: timedPort(ports.decisions, PHASES.decisionsQueue),
  };
}

export function timedDecidePorts(ports: DecidePorts): DecidePorts {
  return {
    records: timedPort(ports.records, PHASES.records),
    audit: timedPort(ports.audit, PHASES.audit),
    events: timedPort(ports.events, PHASES.events),
  };
}

/** The step timer the use cases take, each step its phase. */
export const timeStep = <T>(step: 'search' | 'verification' | 'decision', run: () => T): T =>
  timePhase(PHASES[step], run);
