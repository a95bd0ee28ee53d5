/**
 * Pictures the exchange uploaded, at `/media/<hash>.<ext>`: public (a shop's visitors load them in
 * `<img>`), content-addressed, so a URL never changes meaning and may be cached for a year.
 */
import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../http/errors.ts'
import { readMedia } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { ErrorBody } from '../schemas.ts'

const MediaParams = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{43}\.[a-z0-9]{1,5}$/, 'a picture’s <hash>.<ext>') })

export const mediaRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/media/:file',
    {
      schema: {
        tags: ['catalogue'],
        operationId: 'getMedia',
        summary: 'A product picture',
        description: 'Public: no key (a shop’s visitors load it). Content-addressed: cache it for a year.',
        params: MediaParams,
        response: {
          200: { description: 'The picture’s bytes', content: { 'image/*': { schema: z.string().describe('binary') } } },
          404: { description: 'No such picture', content: { 'application/json': { schema: ErrorBody } } },
        },
      },
    },
    async (request, typedReply) => {
      // Bytes, not a JSON answer: the typed reply knows only the documented JSON shapes.
      const reply = typedReply as unknown as FastifyReply
      const [hash = '', ext] = request.params.file.split('.')
      const media = await readMedia(db, hash)
      if (!media || media.ext !== ext) throw new AppError('NOT_FOUND', `no picture ${JSON.stringify(request.params.file)}`)
      if (request.headers['if-none-match'] === `"${hash}"`) return reply.status(304).send()
      return (
        reply
          .header('content-type', media.contentType)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', `"${hash}"`)
          .header('x-content-type-options', 'nosniff')
          // An SVG is a document: on this origin it may run nothing and load nothing.
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
          .send(media.content)
      )
    },
  )
}
