import { api, unwrap } from "../api/client";

/** Checks a key against the hub before it is kept: any authenticated read will do. */
export function verifyKeyMutation() {
  return {
    mutationFn: async (key: string) => {
      await unwrap(api.GET("/api/v1/servers", { headers: { "X-API-Key": key } }));
      return key;
    },
  };
}
