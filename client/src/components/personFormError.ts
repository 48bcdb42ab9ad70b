/**
 * The server words its field problems for any API client ("Use an ISO 3166-1 alpha-2
 * country code"). In our person forms the country is a picker, so the person is told
 * what to do there instead. The form's error summary and each field read the same
 * reworded error, so the two never say different things.
 */
import { ApiError } from '../api';
import { t } from '../i18n';

/** The error of a person form (setup, invitation, new account) in the words the form uses. */
export function personFormError(error: ApiError | null): ApiError | null {
  if (!error || !error.fields.some((problem) => problem.field === 'country')) return error;
  const fields = error.fields.map((problem) => (problem.field === 'country' ? { ...problem, message: t('field.countryRequired') } : problem));
  return new ApiError(error.status, error.code, error.message, fields, error.retryAfter);
}
