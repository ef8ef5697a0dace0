// xray-audit CLI: `xray-audit <command> [options] [--json]`. With --json, exactly one JSON
// document goes to stdout (errors included: {"error": {...}}), everything else to stderr.
import { parseArgs } from 'node:util';
import { CommandRegistry, type CliContext } from './command';
import { infoCommand } from './commands/info';
import { selftestCommand } from './commands/selftest';
import { serveCommand } from './commands/serve';
import { inspectCommand } from './commands/inspect';
import { importCommand } from './commands/import';
import { trainCommand } from './commands/train';
import { evaluateCommand } from './commands/evaluate';
import { auditCommand, demoCommand } from './commands/audit';
import { saliencyCommand } from './commands/saliency';
import { exaggerateCommand } from './commands/exaggerate';
import { invariancesCommand } from './commands/invariances';
import { causalFactorsCommand } from './commands/causal-factors';
import { causalFeaturesCommand } from './commands/causal-features';
import { causalQueriesCommand } from './commands/causal-queries';
import { EngineHost } from '../engine/host';
import { spawnWorkerThread } from '../engine/spawn';
import { toErrorInfo } from '../engine/jobs/errors';

const registry = new CommandRegistry();
registry.register(infoCommand);
registry.register(selftestCommand);
registry.register(serveCommand);
registry.register(inspectCommand);
registry.register(importCommand);
registry.register(trainCommand);
registry.register(evaluateCommand);
registry.register(auditCommand);
registry.register(demoCommand);
registry.register(saliencyCommand);
registry.register(exaggerateCommand);
registry.register(invariancesCommand);
registry.register(causalFactorsCommand);
registry.register(causalFeaturesCommand);
registry.register(causalQueriesCommand);

function usage(): string {
  const lines = registry.all().map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `Usage: xray-audit <command> [options] [--json]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const cmd = registry.get(name);
  if (!cmd) {
    const error = { code: 'not_found', message: `Unknown command '${name}'` };
    if (json) process.stdout.write(JSON.stringify({ error }) + '\n');
    else process.stderr.write(`${error.message}\n\n${usage()}`);
    return 2;
  }
  let engine: EngineHost | null = null;
  const isTty = process.stderr.isTTY;
  const ctx: CliContext = {
    json,
    engine: () => (engine ??= new EngineHost({ spawn: () => spawnWorkerThread(__dirname) })),
    log: (line) => {
      if (!json) process.stdout.write(line + '\n');
    },
    progress: (line) => {
      if (isTty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (!json) process.stderr.write(line + '\n');
    },
  };
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...cmd.options, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    const result = await cmd.run(values, positionals, ctx);
    if (isTty) process.stderr.write('\n');
    if (json && result !== undefined) process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } catch (e) {
    const error = toErrorInfo(e);
    if (json) process.stdout.write(JSON.stringify({ error: { code: error.code, message: error.message } }) + '\n');
    else process.stderr.write(`\nError: ${error.message}\n`);
    return 1;
  } finally {
    await (engine as EngineHost | null)?.close();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
