import { apiRequest } from "../api/client";
import type { ServerList } from "../types/server";

/** Checks a key against the hub before it is kept: any authenticated read will do. */
export function verifyKeyMutation() {
  return {
    mutationFn: async (key: string) => {
      await apiRequest<ServerList>("/servers", { key });
      return key;
    },
  };
}
