import { useMutation, useQueryClient } from "@tanstack/react-query";
import { authStore, useAuth } from "../../lib/auth";
import { logoutMutation } from "./queries";

/** Ends the session on the hub (not just in this tab), then forgets all loaded data. */
export function SignOutButton() {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const logout = useMutation({
    ...logoutMutation(),
    onSettled: () => {
      authStore.signOut();
      queryClient.clear();
    },
  });
  if (!user) return null;
  return (
    <button
      type="button"
      className="button button--ghost"
      onClick={() => logout.mutate()}
      disabled={logout.isPending}
      title={`Signed in as ${user.name}`}
    >
      Sign out
    </button>
  );
}
