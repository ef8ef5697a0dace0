import * as path from 'node:path';
import { startHttpServer } from '../../api/http';
import { createHandlers } from '../../api/handlers';
import type { CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Browser mode: serve the app on 127.0.0.1 with a per-launch token',
  usage: 'xray-audit serve [--port N] [--json]',
  options: { port: { type: 'string', default: '0' } },
  async run(values, _p, ctx) {
    const engine = ctx.engine();
    const server = await startHttpServer({
      handlers: createHandlers(engine, 'http'),
      host: engine,
      rendererDir: path.join(__dirname, '../renderer'),
      port: Number(values.port) || 0,
    });
    const backend = await engine.start();
    const doc = { url: server.url, loginUrl: server.loginUrl, port: server.port, backend: backend.name };
    if (ctx.json) process.stdout.write(JSON.stringify(doc) + '\n');
    else {
      ctx.log(`xray-audit is serving on ${server.url} (127.0.0.1 only; backend ${backend.name})`);
      ctx.log(`Open this URL in a browser (it carries this launch's access token):\n\n    ${server.loginUrl}\n`);
      ctx.log('Press Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return undefined; // already printed
  },
};
