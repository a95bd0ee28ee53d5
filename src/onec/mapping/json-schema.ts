/** The JSON Schema of mapping profiles, for editors (yaml-language-server, VS Code). */
import { z } from 'zod'
import { MappingProfile } from './profile.ts'

export function profileJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://onec-bridge.local/mappings/profile.schema.json',
    title: 'onec-bridge mapping profile',
    ...z.toJSONSchema(MappingProfile, { io: 'input', unrepresentable: 'any' }),
  }
}
