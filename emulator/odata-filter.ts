/**
 * `$filter` and `Condition` as 1C's OData interface reads them: `eq ne gt ge lt le`, `and or not`,
 * parentheses, literals `guid'…'`, `datetime'…'`, `'text'` (quotes doubled), numbers, `true`,
 * `false`, `null`, and the string functions `substringof`, `startswith`, `endswith`, `like`.
 * What 1C refuses is refused the same way (`in`, `contains`, `tolower`…: code 14 / 21).
 */

export class FilterError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

type Token = { kind: 'op' | 'word' | 'literal' | 'paren' | 'comma'; value: string | number | boolean | null; text: string }

const LITERAL = /^(guid|datetime)'([^']*)'/
const STRING = /^'((?:[^']|'')*)'/
const NUMBER = /^-?\d+(\.\d+)?(?![\p{L}_\d])/u
const WORD = /^[\p{L}_][\p{L}\p{N}_/]*/u

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let rest = text.trim()
  while (rest.length > 0) {
    let match: RegExpExecArray | null
    if ((match = LITERAL.exec(rest))) {
      const [whole, kind, value = ''] = match
      if (kind === 'guid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new FilterError('14', `Неверный литерал guid: ${whole}`)
      if (kind === 'datetime' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) throw new FilterError('14', `Неверный литерал datetime: ${whole}`)
      tokens.push({ kind: 'literal', value: kind === 'guid' ? value.toLowerCase() : value.length === 16 ? `${value}:00` : value, text: whole })
    } else if ((match = STRING.exec(rest))) {
      tokens.push({ kind: 'literal', value: (match[1] ?? '').replace(/''/g, "'"), text: match[0] })
    } else if ((match = NUMBER.exec(rest))) {
      tokens.push({ kind: 'literal', value: Number(match[0]), text: match[0] })
    } else if (rest[0] === '(' || rest[0] === ')') {
      match = [rest[0]] as unknown as RegExpExecArray
      tokens.push({ kind: 'paren', value: rest[0], text: rest[0] })
    } else if (rest[0] === ',') {
      match = [','] as unknown as RegExpExecArray
      tokens.push({ kind: 'comma', value: ',', text: ',' })
    } else if ((match = WORD.exec(rest))) {
      const word = match[0]
      if (['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'].includes(word)) tokens.push({ kind: 'op', value: word, text: word })
      else if (word === 'true' || word === 'false') tokens.push({ kind: 'literal', value: word === 'true', text: word })
      else if (word === 'null') tokens.push({ kind: 'literal', value: null, text: word })
      else tokens.push({ kind: 'word', value: word, text: word })
    } else {
      throw new FilterError('14', `Ошибка разбора выражения отбора около «${rest.slice(0, 20)}»`)
    }
    rest = rest.slice(match[0].length).trimStart()
  }
  return tokens
}

export type Predicate = (row: Record<string, unknown>) => boolean
type Value = (row: Record<string, unknown>) => unknown

const FUNCTIONS = new Set(['substringof', 'startswith', 'endswith', 'like'])

function compare(left: unknown, right: unknown): number | null {
  if (left === null || left === undefined || right === null || right === undefined) return null
  if (typeof left === 'number' || typeof right === 'number') return Number(left) - Number(right)
  const a = String(left)
  const b = String(right)
  return a < b ? -1 : a > b ? 1 : 0
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.')
  return new RegExp(`^${escaped}$`, 'isu')
}

// A small recursive-descent parser; each level is a few lines, kept together for reading.
// eslint-disable-next-line max-lines-per-function
export function parseFilter(text: string): Predicate {
  const tokens = tokenize(text)
  let position = 0
  const peek = () => tokens[position]
  const next = () => tokens[position++]
  const expect = (kind: Token['kind'], value?: string) => {
    const token = next()
    if (!token || token.kind !== kind || (value !== undefined && token.value !== value))
      throw new FilterError('14', `Ошибка разбора выражения отбора: ожидалось «${value ?? kind}»`)
    return token
  }

  function value(): Value {
    const token = next()
    if (!token) throw new FilterError('14', 'Ошибка разбора выражения отбора: выражение оборвано')
    if (token.kind === 'literal') return () => token.value
    if (token.kind === 'paren' && token.value === '(') {
      const inner = or()
      expect('paren', ')')
      return inner as unknown as Value
    }
    if (token.kind === 'word') {
      const name = String(token.value)
      if (peek()?.kind === 'paren' && peek()?.value === '(') {
        if (!FUNCTIONS.has(name)) throw new FilterError('21', `Функция ${name} не поддерживается`)
        next()
        const args: Value[] = [value()]
        while (peek()?.kind === 'comma') {
          next()
          args.push(value())
        }
        expect('paren', ')')
        const [first, second] = args
        if (!first || !second) throw new FilterError('21', `Неверное количество параметров функции ${name}`)
        if (name === 'substringof') return (row) => String(second(row) ?? '').includes(String(first(row) ?? ''))
        if (name === 'startswith') return (row) => String(first(row) ?? '').startsWith(String(second(row) ?? ''))
        if (name === 'endswith') return (row) => String(first(row) ?? '').endsWith(String(second(row) ?? ''))
        return (row) => likeToRegExp(String(second(row) ?? '')).test(String(first(row) ?? ''))
      }
      if (name === 'in' || name === 'has') throw new FilterError('14', `Ошибка разбора выражения отбора: оператор ${name} не поддерживается`)
      return (row) => {
        if (!(name in row) && !name.includes('/')) throw new FilterError('14', `Не найдено поле ${name}`)
        return name.split('/').reduce<unknown>((object, part) => (object && typeof object === 'object' ? (object as Record<string, unknown>)[part] : undefined), row)
      }
    }
    throw new FilterError('14', `Ошибка разбора выражения отбора около «${token.text}»`)
  }

  function comparison(): Predicate {
    const token = peek()
    if (token?.kind === 'op' && token.value === 'not') {
      next()
      const inner = comparison()
      return (row) => !inner(row)
    }
    const left = value()
    const op = peek()
    if (op?.kind !== 'op' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(String(op.value))) return (row) => left(row) === true
    next()
    const right = value()
    switch (op.value) {
      case 'eq':
        return (row) => {
          const a = left(row)
          const b = right(row)
          return a === null || b === null ? a === b : compare(a, b) === 0
        }
      case 'ne':
        return (row) => compare(left(row), right(row)) !== 0
      case 'gt':
        return (row) => (compare(left(row), right(row)) ?? 0) > 0
      case 'ge':
        return (row) => (compare(left(row), right(row)) ?? -1) >= 0
      case 'lt':
        return (row) => (compare(left(row), right(row)) ?? 0) < 0
      default:
        return (row) => (compare(left(row), right(row)) ?? 1) <= 0
    }
  }

  function and(): Predicate {
    const parts = [comparison()]
    while (peek()?.kind === 'op' && peek()?.value === 'and') {
      next()
      parts.push(comparison())
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.every((part) => part(row))
  }

  function or(): Predicate {
    const parts = [and()]
    while (peek()?.kind === 'op' && peek()?.value === 'or') {
      next()
      parts.push(and())
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.some((part) => part(row))
  }

  const predicate = or()
  if (position < tokens.length) throw new FilterError('14', `Ошибка разбора выражения отбора около «${tokens[position]?.text}»`)
  return predicate
}
