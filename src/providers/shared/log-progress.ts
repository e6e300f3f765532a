/**
 * Progress read from a model's own log lines, the only progress fal and Replicate expose while a
 * request runs. Diffusion models usually print tqdm bars (` 45%|####5     | 9/20 [00:02<00:02]`)
 * or step counters (`step 9/20`); the newest line that has one wins.
 */
export function progressFromLogs(lines: readonly string[]): number | undefined {
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index];
    const percent = /(\d{1,3})%\s*\|/.exec(line);
    if (percent) return Math.min(1, Number(percent[1]) / 100);
    const counter = /(\d+)\s*\/\s*(\d+)\s*\[/.exec(line) ?? /\bstep\s+(\d+)\s*(?:\/|of)\s*(\d+)/i.exec(line);
    if (counter && Number(counter[2]) > 0) return Math.min(1, Number(counter[1]) / Number(counter[2]));
  }
  return undefined;
}
