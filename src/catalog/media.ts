/**
 * Product pictures the exchange uploads under `import_files/`: stored once per content (sha-256),
 * in the store so that any instance serves them, linked from the product as
 * `{ url: /media/<hash>.<ext>, hash, path, width, height }`, and removed when no product refers to
 * them after a full exchange.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { imageSize } from 'image-size'
import type { ProductImage } from '../domain/index.ts'
import type { Queryable } from '../store/index.ts'

/** What a shop may show as a picture, by the extension 1C keeps (ПодготовитьИмяФайлаДляСервера keeps the original one). */
const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
}

export const mediaUrl = (hash: string, ext: string) => `/media/${hash}.${ext}`

export interface PictureCounts {
  /** Pictures products named. */
  seen: number
  /** Files newly stored (an identical file is stored once). */
  stored: number
  /** Named but not uploaded in this exchange, and not known from an earlier one; the first few paths. */
  missing: number
  missingPaths: string[]
}

/**
 * Resolves the `Картинка` paths of one file's products against the exchange's upload folder:
 * a file uploaded in this exchange is stored (once per content); a path not uploaded this time
 * keeps the picture an earlier exchange stored under it (1C sends changed pictures only).
 */
export function createPictureResolver(tx: Queryable, roots: readonly string[]) {
  const byPath = new Map<string, ProductImage | null>()
  const counts: PictureCounts = { seen: 0, stored: 0, missing: 0, missingPaths: [] }

  async function fromFile(path: string): Promise<ProductImage | null> {
    const ext = extname(path).slice(1).toLowerCase()
    const contentType = CONTENT_TYPES[ext]
    if (!contentType) return null
    for (const root of roots) {
      const file = resolve(root, path)
      // The path comes from the file 1C sent: it must stay inside the upload folder.
      if (!file.startsWith(resolve(root) + sep)) continue
      let content: Buffer
      try {
        content = await readFile(file)
      } catch {
        continue
      }
      const hash = createHash('sha256').update(content).digest('base64url')
      let size: { width?: number | undefined; height?: number | undefined } = {}
      try {
        size = imageSize(content)
      } catch {
        // Not a picture image-size reads (an SVG without a size, a damaged file): served without dimensions.
      }
      const inserted = await tx.query(
        `insert into media (hash, ext, content_type, size, width, height, content) values ($1, $2, $3, $4, $5, $6, $7) on conflict (hash) do nothing returning hash`,
        [hash, ext, contentType, content.length, size.width ?? null, size.height ?? null, content],
      )
      if (inserted.length > 0) counts.stored += 1
      return { url: mediaUrl(hash, ext), hash, path, ...(size.width ? { width: size.width } : {}), ...(size.height ? { height: size.height } : {}) }
    }
    return null
  }

  return {
    counts,
    /** The product's images: `paths` in 1C's order; `stored` is what the product had (pictures not uploaded again stay). */
    async images(paths: readonly string[], stored: readonly ProductImage[] | undefined): Promise<ProductImage[]> {
      const out: ProductImage[] = []
      for (const raw of paths) {
        const path = raw.replaceAll('\\', '/').replace(/^\/+/, '')
        counts.seen += 1
        if (!byPath.has(path)) byPath.set(path, await fromFile(path))
        const image = byPath.get(path) ?? stored?.find((item) => item.path === path)
        if (image) out.push(image)
        else if ((counts.missing += 1) <= 20) counts.missingPaths.push(path)
      }
      return out
    },
  }
}

/** Pictures no product refers to any more (run after a full exchange). */
export async function removeUnreferencedMedia(tx: Queryable): Promise<number> {
  const rows = await tx.query(
    `delete from media m
      where not exists (select 1 from entity_state s where s.kind = 'product' and (s.data->'images')::jsonb @> jsonb_build_array(jsonb_build_object('hash', m.hash)))
      returning hash`,
  )
  return rows.length
}
