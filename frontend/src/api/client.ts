import { config } from "../config";
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

let apiKey: string | null = null;

/** Sets the key sent as X-API-Key; the auth provider owns it. */
export function setApiKey(key: string | null): void {
  apiKey = key;
}

type Query = Record<string, string | undefined>;

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, value);
  }
  const search = params.toString();
  return `${config.apiBase}${path}${search ? `?${search}` : ""}`;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: Partial<ErrorResponse> = {};
  try {
    body = (await response.json()) as Partial<ErrorResponse>;
  } catch {
    // Not JSON (a proxy's error page): fall back to the status text.
  }
  const detail =
    typeof body.detail === "string" ? body.detail : response.statusText || "Request failed";
  return new ApiError(response.status, body.error ?? `HTTP ${response.status}`, detail);
}

interface RequestOptions {
  method?: "GET" | "PATCH" | "DELETE" | "POST";
  query?: Query;
  body?: unknown;
  /** Overrides the stored key (sign-in checks a key before keeping it). */
  key?: string;
  signal?: AbortSignal;
}

/** Calls the hub API and parses JSON; throws ApiError on any non-2xx answer. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const key = options.key ?? apiKey;
  if (key) headers["X-API-Key"] = key;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // An absolute URL: the same request in the browser, and one Node's fetch accepts in tests.
  const url = new URL(apiUrl(path, options.query), window.location.href);
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
