/** `npm run schema`: writes mappings/profile.schema.json from the zod schema of profiles. */
import { writeFile } from 'node:fs/promises'
import { profileJsonSchema } from '../src/onec/mapping/json-schema.ts'

const target = new URL('../mappings/profile.schema.json', import.meta.url)
await writeFile(target, `${JSON.stringify(profileJsonSchema(), null, 2)}\n`)
console.log(`wrote ${target.pathname}`)
