/**
 * The server in its own process, as an editor runs it (`cli.js lsp --stdio`), with this process as its client: the
 * server's CPU time and peak memory are read from /proc (Linux), apart from the client's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { LspClientSide } from './lsp-pair';

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export class LspProcess extends LspClientSide {
  private constructor(private readonly child: ChildProcess) {
    super(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  }

  /** Starts `node [nodeArgs] cli lsp --stdio`; the server's stderr goes to this process's. */
  static start(cli: string, nodeArgs: string[] = []): LspProcess {
    const child = spawn(process.execPath, [...nodeArgs, cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new LspProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU time (user + system) the server has used so far, in ms (10 ms steps); undefined where /proc is missing. */
  cpuMs(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      return undefined;
    }
  }

  /** The server's peak resident set (VmHWM) in MB; undefined where /proc is missing. */
  peakRssMb(): number | undefined {
    return this.status('VmHWM');
  }

  /** The server's resident set now (VmRSS) in MB; undefined where /proc is missing. */
  rssMb(): number | undefined {
    return this.status('VmRSS');
  }

  private status(field: string): number | undefined {
    try {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** shutdown and exit, as an editor does; the process is killed if it has not ended after 5 s. */
  async dispose(): Promise<void> {
    const ended = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.client.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.client.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await ended;
    clearTimeout(timer);
    this.client.dispose();
  }
}
