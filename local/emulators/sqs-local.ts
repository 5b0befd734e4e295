import { startFauxqs } from 'fauxqs';

export interface RunningSqsLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** fauxqs, in process: an SQS emulator speaking the SQS JSON protocol, with redrive to DLQs. */
export async function startSqsLocal(options: { port?: number } = {}): Promise<RunningSqsLocal> {
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    stop: () => server.stop(),
  };
}
