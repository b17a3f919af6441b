import createClient, { type Middleware } from "openapi-fetch";
import { config } from "../config";
import type { paths } from "../types/api.gen";
import type { ErrorResponse } from "../types/server";

/** An error answer from the hub, carrying its status and the `{error, detail}` envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * The session is a cookie the browser sends by itself. Every call also carries this header,
 * which no form of another site can send: the hub refuses a cookie-borne change without it.
 */
const markAsOurs: Middleware = {
  onRequest({ request }) {
    request.headers.set("X-Requested-With", "HomelabCmd");
    return request;
  },
};

/**
 * The hub API, typed end to end by the generated `paths`: a renamed route, query parameter or
 * field fails `tsc`. The base is absolute (the same request in the browser, and one Node's fetch
 * accepts in tests); fetch is looked up per call so test network mocks see every request.
 */
export const api = createClient<paths>({
  baseUrl: new URL(config.hubUrl || "/", window.location.href).href,
  fetch: (request) => globalThis.fetch(request),
  // A hub on another origin (VITE_HUB_URL) still gets the session cookie.
  credentials: config.hubUrl ? "include" : "same-origin",
});
api.use(markAsOurs);

function isEnvelope(body: unknown): body is Partial<ErrorResponse> {
  return typeof body === "object" && body !== null;
}

function errorFrom(response: Response, body: unknown): ApiError {
  // Not the envelope (a proxy's error page): fall back to the status text.
  const envelope = isEnvelope(body) ? body : {};
  const detail =
    typeof envelope.detail === "string" ? envelope.detail : response.statusText || "Request failed";
  const code = typeof envelope.error === "string" ? envelope.error : `HTTP ${response.status}`;
  return new ApiError(response.status, code, detail);
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or an ApiError for any non-2xx answer. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFrom(response, error);
  return data as T;
}
