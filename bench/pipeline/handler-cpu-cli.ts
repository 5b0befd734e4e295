/**
 * The handler CPU benchmark alone; prints its Markdown section (progress goes to stderr).
 *
 *   npx tsx bench/pipeline/handler-cpu-cli.ts [--gallery 2000] [--bookings 200] [--warmup 20] [--seed 1]
 *     [--sqs-in-process] [--chart file.svg|file.png] [--json file.json]
 */
import '#local/powertools-env';
import { writeFileSync } from 'node:fs';
import { svgToPng } from '#bench/common/charts';
import {
  benchHandlerCpu,
  DEFAULT_HANDLER_CPU_OPTIONS,
  handlerCpuChartSvg,
  handlerCpuMarkdown,
  type HandlerCpuOptions,
} from './handler-cpu';

const NUMBER_FLAGS = {
  '--gallery': 'gallerySize',
  '--bookings': 'bookings',
  '--warmup': 'warmup',
  '--seed': 'seed',
} as const;

function parseArgs(argv: string[]): { options: HandlerCpuOptions; chart?: string; json?: string } {
  const options: HandlerCpuOptions = { ...DEFAULT_HANDLER_CPU_OPTIONS };
  let chart: string | undefined;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg in NUMBER_FLAGS) {
      const value = Number(argv[++i]);
      const min = arg === '--gallery' || arg === '--bookings' ? 1 : 0;
      if (!Number.isInteger(value) || value < min) throw new Error(`${arg} needs an integer >= ${min}`);
      options[NUMBER_FLAGS[arg as keyof typeof NUMBER_FLAGS]] = value;
    } else if (arg === '--sqs-in-process') options.sqsEmulator = 'in-process';
    else if (arg === '--chart') chart = argv[++i];
    else if (arg === '--json') json = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'npx tsx bench/pipeline/handler-cpu-cli.ts [--gallery N] [--bookings N] [--warmup N] [--seed N] ' +
          '[--sqs-in-process] [--chart file.svg|file.png] [--json file.json]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (--help)`);
  }
  return { options, chart, json };
}

const { options, chart, json } = parseArgs(process.argv.slice(2));
const report = await benchHandlerCpu(options, (line) => console.error(line));
console.log(handlerCpuMarkdown(report));
if (chart) {
  const svg = handlerCpuChartSvg(report);
  writeFileSync(chart, chart.endsWith('.png') ? svgToPng(svg) : svg);
  console.error(`wrote ${chart}`);
}
if (json) {
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`wrote ${json}`);
}
