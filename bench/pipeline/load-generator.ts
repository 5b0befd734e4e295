/**
 * The simulated jails, on a worker thread: POSTs the bookings on an open-loop schedule. On its own
 * thread the schedule keeps time while the pipeline's main thread is busy (API server, pollers,
 * fauxqs), and a POST's send time is when it was really sent, not when a blocked event loop got
 * round to it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { postBooking } from '#local/harness/api-client';
import { runOpenLoop, type Shot } from './load-schedule';

export interface GeneratorInput {
  apiUrl: string;
  /** Request bodies, JSON. */
  bodies: string[];
  ratePerSecond: number;
}

export interface Submission {
  /** Epoch ms when the first POST was handed to fetch, and when the final answer came. */
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when every attempt failed without an answer. */
  status: number;
  /** Transient failures the jail's client retried (connection errors by code, 5xx/429 as HTTP n). */
  retried: string[];
}

export interface GeneratorOutput {
  submissions: Submission[];
  shots: Shot[];
}

/** One booking submitted as a jail's system submits it: through the retrying client. */
async function post(apiUrl: string, body: string): Promise<Submission> {
  const sentAt = Date.now();
  const answer = await postBooking(apiUrl, body);
  return { sentAt, answeredAt: Date.now(), status: answer.status, retried: answer.retried };
}

export async function generate(input: GeneratorInput): Promise<GeneratorOutput> {
  const pending: Array<Promise<Submission>> = [];
  const shots = await runOpenLoop(input.bodies.length, input.ratePerSecond, (index) => {
    pending.push(post(input.apiUrl, input.bodies[index] as string));
  });
  return { submissions: await Promise.all(pending), shots };
}

/** Worker protocol: say `ready` once loaded, take one GeneratorInput, answer its GeneratorOutput. */
if (parentPort && (workerData as { loadGenerator?: boolean } | null)?.loadGenerator) {
  const port = parentPort;
  port.once('message', (input: GeneratorInput) => {
    void generate(input).then(
      (output) => port.postMessage({ output }),
      (error: unknown) => port.postMessage({ error: String(error) }),
    );
  });
  port.postMessage({ ready: true });
}
