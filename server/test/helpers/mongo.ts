import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface TestMongo {
  /** A URI with a database of its own, so test files never see each other's data. */
  uri: string;
  /** The server process, when we started it (jongodb): tests may pause it to cause a hiccup. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * A MongoDB for tests: the real server in `MONGODB_URI` when set, otherwise the
 * MongoDB-wire-compatible jongodb binary started on a free port. Fails loudly when
 * neither can be had — a storage test must never pass without a database.
 * `ownProcess`: always start jongodb (a test that pauses the database needs its process).
 */
export async function startTestMongo(options: { ownProcess?: boolean } = {}): Promise<TestMongo> {
  const external = process.env.MONGODB_URI;
  if (external && !options.ownProcess) {
    const url = new URL(external);
    url.pathname = `/jane_test_${randomUUID().replaceAll('-', '')}`;
    return { uri: url.toString(), stop: async () => {} };
  }
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json'));
  const binary = path.join(packageDir, 'bin', 'jongodb');
  const child: ChildProcess = spawn(binary, ['--host=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`jongodb did not start within 20 s: ${output}`)), 20_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start jongodb (${binary}): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited with ${code}: ${output}`));
    });
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /JONGODB_URI=(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  const url = new URL(uri);
  url.pathname = `/jane_test_${randomUUID().replaceAll('-', '')}`;
  return {
    uri: url.toString(),
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
