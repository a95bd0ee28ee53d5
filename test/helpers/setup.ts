import nock from 'nock'
import { afterAll } from 'vitest'

// No test talks to the outside world; loopback stays open for in-process receivers and PostgreSQL.
nock.disableNetConnect()
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host))

afterAll(() => {
  nock.cleanAll()
})
