// RFC 9457 problem details, as the server sends them for every error.

export const kProblemPrefix = 'urn:egovbox:problem:';

export interface Problem {
  type: string;
  title?: string;
  status: number;
  detail?: string;
  [extra: string]: unknown;
}

// Slugs that the UI treats specially; any other slug is shown by its detail.
export type KnownSlug =
  | 'unauthenticated'
  | 'session-expired'
  | 'password-change-required'
  | 'totp-enrollment-required'
  | 'invalid-personal-code'
  | 'personal-code-typo'
  | 'invalid-credentials'
  | 'totp-required'
  | 'invalid-totp'
  | 'account-suspended'
  | 'too-many-attempts'
  | 'wrong-current-password'
  | 'weak-password'
  | 'totp-mandatory'
  // Made up by the client when no HTTP answer came at all.
  | 'network-error';

export class ApiError extends Error {
  readonly status: number;
  // The part of `type` after the urn prefix, "" when the type is not ours.
  readonly slug: string;
  readonly problem: Problem;
  // Seconds, from the problem's retry_after or the Retry-After header.
  readonly retryAfter: number | null;

  constructor(problem: Problem, retryAfter: number | null = null) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
    this.status = problem.status;
    this.slug = slugOf(problem.type);
    this.retryAfter = retryAfter;
  }

  is(slug: KnownSlug): boolean {
    return this.slug === slug;
  }

  // The server's localised explanation, if it sent one.
  get detail(): string | null {
    return typeof this.problem.detail === 'string' && this.problem.detail !== ''
      ? this.problem.detail
      : null;
  }

  // The list-valued extra member `name` (e.g. "violations"), strings only.
  stringList(name: string): string[] {
    const value = this.problem[name];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

export function slugOf(type: string): string {
  return type.startsWith(kProblemPrefix) ? type.slice(kProblemPrefix.length) : '';
}

export function networkError(): ApiError {
  return new ApiError({ type: `${kProblemPrefix}network-error`, status: 0 });
}

// Builds the ApiError for a non-2xx response. Bodies that are not problem
// documents (a proxy's HTML error page, say) still give a usable error.
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: Problem = { type: 'about:blank', status: response.status };
  const contentType = response.headers.get('Content-Type') ?? '';
  if (contentType.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (body && typeof body === 'object') {
        const fields = body as Record<string, unknown>;
        problem = {
          ...fields,
          type: typeof fields.type === 'string' ? fields.type : 'about:blank',
          status: typeof fields.status === 'number' ? fields.status : response.status,
        };
      }
    } catch {
      // A broken body: keep the bare status.
    }
  }
  return new ApiError(problem, retryAfterOf(problem, response));
}

function retryAfterOf(problem: Problem, response: Response): number | null {
  if (typeof problem.retry_after === 'number' && problem.retry_after >= 0) {
    return problem.retry_after;
  }
  const header = response.headers.get('Retry-After');
  if (header === null) return null;
  // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

// The field an invalid-field problem names: its "field" member, or else
// the quoted name in its detail ("Полето „recurrence.interval“ липсва…",
// 'The field "title" is …'), as servers that name it only there send.
export function invalidFieldName(error: ApiError): string {
  if (typeof error.problem.field === 'string') return error.problem.field;
  if (error.slug !== 'invalid-field') return '';
  const match = /[„"“]([A-Za-z_][\w.[\]]*)[“"”]/.exec(error.detail ?? '');
  return match ? match[1] : '';
}
