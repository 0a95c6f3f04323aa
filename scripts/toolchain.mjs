// Makes sure Debian's emscripten package is there: installs it when running as root (CI, a
// fresh container), otherwise says exactly what to install. Idempotent.
import { execFileSync, spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

export function ensurePackages(packages, why) {
  const missing = packages.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const list = missing.join(' ');
  if (process.getuid?.() !== 0) {
    console.error(`relu-wasm: ${why} needs the Debian package(s) ${list}, which are not installed.\n` +
      `Install them with:  sudo apt-get update && sudo apt-get install -y ${list}`);
    process.exit(1);
  }
  console.log(`relu-wasm: installing ${list} (apt-get) for ${why} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  } catch {
    console.error(`relu-wasm: apt-get could not install ${list}; install it by hand and retry.`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePackages([['emcc', 'emscripten'], ['cmake', 'cmake']], 'the build');
