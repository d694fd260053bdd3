/** Progress goes to stderr so stdout holds only the final table. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
