/**
 * A one-line progress bar on a terminal; on a pipe (CI) a line at every tenth, so logs stay short.
 */
export function progressBar(label: string, total: number): { update(done: number): void; finish(): void } {
  const tty = process.stdout.isTTY === true;
  let lastTenth = -1;
  const render = (done: number) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `${label.padEnd(22)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
  };
  return {
    update(done) {
      if (tty) {
        process.stdout.write(`\r${render(done)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        console.log(render(done));
      }
    },
    finish() {
      if (tty) process.stdout.write('\n');
    },
  };
}
