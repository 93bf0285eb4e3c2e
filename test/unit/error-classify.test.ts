import { MongoNetworkError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { BadRequestError, CsrfError, ConflictError, NotFoundError, PAGE_STATUSES } from '../../src/lib/errors.js';
import { catalogs } from '../../src/i18n/catalogs.js';
import { classifyError } from '../../src/plugins/error-pages.js';

/** A framework error as Fastify and its plugins make them (@fastify/error): a code and a statusCode. */
function frameworkError(code: string, statusCode: number): Error {
  return Object.assign(new Error(code), { code, statusCode });
}

/** Which page (and status) a thrown value gives: pure, so checked without an app. */
describe('classifyError', () => {
  it('keeps an AppError’s own status, code and message', () => {
    expect(classifyError(new NotFoundError('gone'))).toEqual({ status: 404, page: 404, code: 'NOT_FOUND', messageKey: 'errors.404.message', params: {} });
    expect(classifyError(new ConflictError('x', { messageKey: 'k', params: { n: 1 } }))).toMatchObject({ status: 409, page: 409, messageKey: 'k', params: { n: 1 } });
    expect(classifyError(new CsrfError())).toMatchObject({ status: 403, page: 403, code: 'CSRF_INVALID', messageKey: 'errors.csrf.message' });
    expect(classifyError(new BadRequestError())).toMatchObject({ status: 400, page: 400 });
  });

  it('gives a body over the limit 413 and an unsupported content type 415, each with its own page', () => {
    expect(classifyError(frameworkError('FST_ERR_CTP_BODY_TOO_LARGE', 413))).toEqual({
      status: 413, page: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', messageKey: 'errors.413.message', params: {},
    });
    expect(classifyError(frameworkError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toEqual({
      status: 415, page: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', messageKey: 'errors.415.message', params: {},
    });
    // @fastify/multipart's count limits are 413 too.
    expect(classifyError(frameworkError('FST_PARTS_LIMIT', 413))).toMatchObject({ status: 413, page: 413 });
  });

  it('keeps the real status of a 4xx without a page, shown with the generic 400 text', () => {
    // e.g. @fastify/multipart's FST_INVALID_MULTIPART_CONTENT_TYPE (406), a 405 or 414 from a plugin.
    for (const status of [405, 406, 408, 410, 414, 418, 451]) {
      expect(classifyError(frameworkError('SOME_CODE', status)), String(status)).toEqual({
        status, page: 400, code: 'SOME_CODE', messageKey: 'errors.400.message', params: {},
      });
    }
    expect(classifyError({ statusCode: 406 })).toMatchObject({ status: 406, page: 400, code: 'HTTP_406' });
  });

  it('keeps 4xx statuses that have a page', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429] as const) {
      expect(classifyError(frameworkError('X', status))).toMatchObject({ status, page: status, messageKey: `errors.${status}.message` });
    }
  });

  it('maps schema validation to 422 and a database outage to 503', () => {
    expect(classifyError(Object.assign(new Error('body/n must be integer'), { validation: [{}], statusCode: 400 }))).toMatchObject({ status: 422, page: 422, code: 'VALIDATION_FAILED' });
    expect(classifyError(new MongoNetworkError('down'))).toMatchObject({ status: 503, page: 503, code: 'DB_UNAVAILABLE' });
  });

  it('turns anything else into 500, including odd status codes', () => {
    for (const error of [new Error('boom'), 'a string', null, undefined, { statusCode: 500 }, { statusCode: 302 }, { statusCode: '404' }, { statusCode: 404.5 }]) {
      expect(classifyError(error)).toEqual({ status: 500, page: 500, code: 'INTERNAL', messageKey: 'errors.500.message', params: {} });
    }
  });

  it('has a translated title and message for every page status, in every language', () => {
    for (const status of PAGE_STATUSES) {
      for (const [locale, catalog] of Object.entries(catalogs)) {
        expect(catalog[`errors.${status}.title`], `${locale} ${status}`).toBeTruthy();
        expect(catalog[`errors.${status}.message`], `${locale} ${status}`).toBeTruthy();
      }
    }
  });
});
