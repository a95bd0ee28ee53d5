/** 1C writes currencies as ISO codes, numeric codes or Russian short names; storefronts get ISO 4217. */
const CURRENCY_NAMES: Record<string, string> = {
  'руб': 'RUB', 'руб.': 'RUB', 'р.': 'RUB', 'рубль': 'RUB', 'российский рубль': 'RUB', rub: 'RUB', rur: 'RUB', '643': 'RUB', '810': 'RUB',
  'грн': 'UAH', 'грн.': 'UAH', 'гривна': 'UAH', uah: 'UAH', '980': 'UAH',
  'тенге': 'KZT', 'тг': 'KZT', 'тг.': 'KZT', kzt: 'KZT', '398': 'KZT',
  'бел. руб': 'BYN', 'бел. руб.': 'BYN', 'бел.руб': 'BYN', 'бел.руб.': 'BYN', byn: 'BYN', byr: 'BYN', '933': 'BYN',
  'сум': 'UZS', uzs: 'UZS', '860': 'UZS',
  'usd': 'USD', '$': 'USD', 'долл': 'USD', 'долл.': 'USD', '840': 'USD',
  'eur': 'EUR', '€': 'EUR', 'евро': 'EUR', '978': 'EUR',
}

export function normalizeCurrency(text: string): string {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ')
  return CURRENCY_NAMES[key] ?? text.trim().toUpperCase()
}
