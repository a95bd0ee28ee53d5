/**
 * A cluster on this machine, as an integrator runs one: PostgreSQL (the machine's server, a fresh
 * database per run), N processes of `node src/main.ts` each with a DATA_DIR of its own, and Debian's
 * nginx round-robin in front of them. Started and stopped by the test itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { freePort, MAIN, startReady, type Started } from '../helpers/service-process.ts'

export const ADMIN_TOKEN = 'cluster-admin-token-0123456789'
export const EXCHANGE = { user: 'exchange', password: 'exchange-password' }
/** The machine's PostgreSQL server (CI starts it), or another through CLUSTER_DATABASE_URL. */
export const SERVER_URL = process.env.CLUSTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A new database on the server; returns its URL and what drops it. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  await admin((client) => client.query(`create database ${name}`))
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined) }
}

export interface Instance {
  index: number
  port: number
  dataDir: string
  env: Record<string, string>
  process: Started | null
  /** Everything every run of this instance printed. */
  log: string[]
}

/** Starts (or starts again, on the same port and DATA_DIR) one instance; resolves when /ready answers. */
export async function startInstance(instance: Instance, cwd: string): Promise<void> {
  const started = await startReady(cwd, instance.env, 60_000)
  instance.process = started
  instance.log.push(`--- start ${new Date().toISOString()}`)
  started.exit.then(() => instance.log.push(started.output())).catch(() => {})
}

export function killInstance(instance: Instance, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  const running = instance.process
  if (!running) return Promise.resolve(null)
  instance.process = null
  running.child.kill(signal)
  return running.exit
}

export async function makeInstances(count: number, folder: string, env: Record<string, string>): Promise<Instance[]> {
  const instances: Instance[] = []
  for (let index = 0; index < count; index += 1) {
    const port = await freePort()
    const dataDir = join(folder, `instance-${index + 1}`)
    await mkdir(dataDir, { recursive: true })
    instances.push({ index, port, dataDir, env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir }, process: null, log: [] })
  }
  return instances
}

export function nginxBinary(): string | null {
  for (const path of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(path)) return path
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : null
}

export interface Balancer {
  url: string
  /** Each request nginx passed on: method, URI, status, the instance(s) it tried (`127.0.0.1:port`, in order). */
  requests(): Promise<Array<{ method: string; uri: string; status: number; upstreams: string[] }>>
  stop(): Promise<void>
}

/** The proxy settings the compose file's nginx uses: the cluster test runs them as shipped. */
export const PROXY_CONF = fileURLToPath(new URL('../../deploy/nginx/onec-bridge.conf', import.meta.url))

/**
 * nginx round-robin over `ports` with deploy/nginx/onec-bridge.conf: a failed connection is tried
 * on the next instance, never a request already sent; bodies streamed through; 1C's large uploads allowed.
 */
export async function startNginx(folder: string, ports: number[]): Promise<Balancer> {
  const binary = nginxBinary()
  if (!binary) throw new Error('nginx is not installed: apt-get install -y nginx (.ci/run installs it)')
  const port = await freePort()
  const dir = join(folder, 'nginx')
  await mkdir(dir, { recursive: true })
  const temp = (name: string) => `${name} ${join(dir, name.replace(/_path$/, ''))};`
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  ${temp('client_body_temp_path')} ${temp('proxy_temp_path')} ${temp('fastcgi_temp_path')} ${temp('uwsgi_temp_path')} ${temp('scgi_temp_path')}
  log_format cluster '$request_method "$request_uri" $status "$upstream_addr"';
  access_log ${join(dir, 'access.log')} cluster;
  upstream onec_bridge {
${ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      include ${PROXY_CONF};
    }
  }
}
`
  await writeFile(join(dir, 'nginx.conf'), conf)
  const check = spawnSync(binary, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`nginx -t refused the configuration: ${check.stderr}`)
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  for (let tries = 0; ; tries += 1) {
    try {
      await fetch(`${url}/health`)
      break
    } catch {
      if (tries > 100) throw new Error(`nginx did not listen on ${port}: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return {
    url,
    async requests() {
      const text = await readFile(join(dir, 'access.log'), 'utf8').catch(() => '')
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const match = /^(\S+) "([^"]*)" (\d+) "([^"]*)"$/.exec(line)
          return { method: match?.[1] ?? '', uri: match?.[2] ?? '', status: Number(match?.[3] ?? 0), upstreams: (match?.[4] ?? '').split(/,\s*/).filter(Boolean) }
        })
    },
    async stop() {
      child.kill('SIGQUIT')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      child.kill('SIGKILL')
    },
  }
}

export { MAIN }
