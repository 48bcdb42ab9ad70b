/**
 * JSON over fetch with the server's error shape `{error:{code,message,details?}}`.
 * The server writes its messages for users, so `ApiError.message` is shown as is.
 */
import type { ApiErrorBody } from '@jane/shared/core';
import { t } from '../i18n';

export interface FieldProblem {
  field: string | null;
  message: string;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    /** Seconds to wait, from a 429's Retry-After header. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The message for one field of a 400, if the server named it. */
  fieldMessage(field: string): string | null {
    return this.fields.find((problem) => problem.field === field)?.message ?? null;
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;

/** Called when a request that needed a session got 401 (the session ended elsewhere). */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

function fieldsOf(details: unknown): FieldProblem[] {
  if (typeof details !== 'object' || details === null || !('fields' in details)) return [];
  const fields = (details as { fields: unknown }).fields;
  if (!Array.isArray(fields)) return [];
  return fields
    .filter((f): f is { field: string | null; message: string } => typeof f === 'object' && f !== null && typeof (f as { message?: unknown }).message === 'string')
    .map((f) => ({ field: typeof f.field === 'string' ? f.field : null, message: f.message }));
}

export interface RequestOptions {
  /** Do not report a 401 to the session (sign-in, "who am I" and public pages). */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  // A form (a file upload) goes as multipart: the browser writes its content type and boundary.
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || isForm ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return parsed as T;
  if (response.status === 401 && !options.allowUnauthorized) onUnauthorized?.();
  const retryAfterHeader = response.headers.get('retry-after');
  const retryAfter = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null;
  if (isErrorBody(parsed)) {
    throw new ApiError(response.status, parsed.error.code, parsed.error.message, fieldsOf(parsed.error.details), retryAfter);
  }
  const fallback = response.status >= 500 ? t('error.server') : t('error.unexpected', { status: response.status });
  throw new ApiError(response.status, 'unknown', fallback, [], retryAfter);
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

/** A message to show for any error thrown by the API layer (or anything else). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return t('error.unexpectedClient');
}
