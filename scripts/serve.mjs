// npm start: serves the repository root (demo at /web/) on localhost with the right MIME
// types, zero dependencies. Also used by the browser tests (startServer).
//   node scripts/serve.mjs [--port N] [--csp]   (--csp adds a strict Content-Security-Policy)
// The demo is served cross-origin isolated (COOP / COEP: ISOLATION_HEADERS), so a page may
// start init({ threads }).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Cross-origin isolation: shared memory for init({ threads }) (npm start sends them).
export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

/** Starts a server; resolves to { url, close }. port 0 picks a free one. */
export function startServer({ port = 0, root = ROOT, csp = false, headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) return send(res, 403, 'forbidden');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        ...(csp ? { 'content-security-policy': typeof csp === 'string' ? csp : STRICT_CSP } : {}),
        ...headers,
      });
      res.end(body);
    } catch {
      send(res, 404, `not found: ${path}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://localhost:${server.address().port}/`;
      resolve({ url, close: () => new Promise((r) => server.close(r)), server });
    });
  });
}

function send(res, code, text) {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 8080);
  if (!existsSync(join(ROOT, 'dist/relu.wasm'))) {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  }
  const { url } = await startServer({ port, csp: args.includes('--csp'), headers: ISOLATION_HEADERS }).catch((e) => {
    console.error(`relu-wasm: cannot listen on port ${port}: ${e.code ?? e.message} (try PORT=8081 npm start)`);
    process.exit(1);
  });
  console.log(`relu-wasm demo: ${url}web/   (cross-origin isolated, for threads; Ctrl-C to stop)`);
}
