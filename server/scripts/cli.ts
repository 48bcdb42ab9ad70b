/** What the operations scripts share: paths relative to where the person ran pnpm, one way to fail. */
import path from 'node:path';

/** `pnpm backup x.sqlite` at the top runs inside server/; INIT_CWD is where it was typed. */
export function fromInvocation(file: string): string {
  return path.resolve(process.env.INIT_CWD || process.cwd(), file);
}

/** Runs the script's body; prints a clear message and exits 1 on failure. */
export function run(body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`\n  ${error instanceof Error ? error.message : String(error)}\n\n`);
      process.exit(1);
    },
  );
}
