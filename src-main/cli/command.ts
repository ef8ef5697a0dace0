// One CLI command = one config object; the registry refuses duplicate names.
import type { EngineHost } from '../engine/host';

export interface CliContext {
  /** Engine over a worker thread, started on first use. */
  engine(): EngineHost;
  json: boolean;
  /** Human output (suppressed with --json, where only the final document goes to stdout). */
  log(line: string): void;
  /** Progress line on stderr (a terminal progress bar). */
  progress(line: string): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Options for node:util parseArgs. */
  options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;
  /** Returns the command's result: printed as JSON with --json. */
  run(values: Record<string, string | boolean | undefined>, positionals: string[], ctx: CliContext): Promise<unknown>;
}

export class CommandRegistry {
  private readonly commands = new Map<string, CliCommand>();
  register(cmd: CliCommand): void {
    if (this.commands.has(cmd.name)) throw new Error(`CLI command '${cmd.name}' is already registered`);
    this.commands.set(cmd.name, cmd);
  }
  get(name: string): CliCommand | undefined {
    return this.commands.get(name);
  }
  all(): CliCommand[] {
    return [...this.commands.values()];
  }
}

/** A one-line terminal progress bar. */
export function progressBar(fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}
