/** The handler CPU benchmark's chart: mean CPU ms per booking, one stacked bar per step and group of bookings. */
import { stackedBarChartSvg } from '#bench/common/bar-chart';
import {
  groupCpuMs,
  groupsOfStep,
  PHASE_GROUP_LABELS,
  samplesOf,
  STEPS,
  type HandlerCpuReport,
  type PhaseGroup,
} from './handler-cpu-report';

const COLOURS: Record<PhaseGroup, string> = {
  search: '#1f77b4',
  verification: '#d62728',
  decision: '#7f3fbf',
  io: '#2ca02c',
  overhead: '#999999',
};

export function handlerCpuChartSvg(report: HandlerCpuReport): string {
  const rows = STEPS.flatMap((step) =>
    (['mated', 'unmated'] as const).map((group) => ({ step, group, samples: samplesOf(report, group) })),
  );
  const phases = (Object.keys(COLOURS) as PhaseGroup[]).filter((phase) =>
    STEPS.some((step) => groupsOfStep(report, step).includes(phase)),
  );
  return stackedBarChartSvg({
    title: 'Handler CPU per booking by phase (mean, in-process, warm)',
    categories: rows.map(({ step, group, samples }) => `${step}, ${group} (n ${samples.length})`),
    series: phases.map((phase) => ({
      label: PHASE_GROUP_LABELS[phase].replace(/ \(.*\)$/, ''),
      colour: COLOURS[phase],
      values: rows.map(({ step, samples }) =>
        samples.length > 0 && groupsOfStep(report, step).includes(phase) ? groupCpuMs(samples, step, phase).mean : 0,
      ),
    })),
    axisTitle: 'CPU ms per booking',
    format: (ms) => `${ms.toFixed(ms >= 10 ? 1 : 2)} ms`,
  });
}
