/**
 * Secrets that were not configured are generated on first start and kept in the data dir, so a
 * new user can log in and the values survive restarts. They are printed once, when generated.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

const SecretsFile = z.object({
  adminToken: z.string().min(12).optional(),
  exchangePassword: z.string().min(6).optional(),
  /** Password of the embedded PostgreSQL's role, set when its cluster is created. */
  storePassword: z.string().min(12).optional(),
})

export interface GeneratedSecrets {
  adminToken: string
  exchangePassword: string
  storePassword: string
  /** Names of the secrets created by this call. */
  generated: Array<'adminToken' | 'exchangePassword' | 'storePassword'>
  file: string
}

export async function ensureSecrets(dataDir: string): Promise<GeneratedSecrets> {
  const file = join(dataDir, 'secrets.json')
  let stored: z.infer<typeof SecretsFile> = {}
  let exists = true
  try {
    const parsed = SecretsFile.safeParse(JSON.parse(await readFile(file, 'utf8')))
    if (!parsed.success) throw new Error(`${file} is damaged: ${parsed.error.issues[0]?.message}. Remove it to generate new secrets.`)
    stored = parsed.data
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    exists = false
  }
  const generated: GeneratedSecrets['generated'] = []
  const adminToken = stored.adminToken ?? (generated.push('adminToken'), randomBytes(24).toString('base64url'))
  const exchangePassword = stored.exchangePassword ?? (generated.push('exchangePassword'), randomBytes(12).toString('base64url'))
  const storePassword = stored.storePassword ?? (generated.push('storePassword'), randomBytes(18).toString('base64url'))
  if (generated.length > 0) {
    await mkdir(dataDir, { recursive: true })
    try {
      // A new file is created exclusively: two processes starting on a new DATA_DIR agree on one set.
      await writeFile(file, `${JSON.stringify({ adminToken, exchangePassword, storePassword }, null, 2)}\n`, { mode: 0o600, flag: exists ? 'w' : 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ensureSecrets(dataDir)
      throw error
    }
  }
  return { adminToken, exchangePassword, storePassword, generated, file }
}
