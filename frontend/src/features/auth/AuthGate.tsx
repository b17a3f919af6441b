import { useQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { useLocation } from "react-router-dom";
import { authStore, useAuth } from "../../lib/auth";
import { Notice } from "../../components/ui/Notice";
import { sessionQuery } from "./queries";
import { SetupForm } from "./SetupForm";
import { SignInForm } from "./SignInForm";

function AwaitingSetup() {
  return (
    <Notice title="This hub has no admin yet">
      Open the setup link the hub printed when it started (it ends in <code>#token=…</code>), or run{" "}
      <code>homelab-cmd users create NAME</code> on the hub, then reload this page.
    </Notice>
  );
}

export const HUB_UNREACHABLE = "Could not reach the hub. Is it running?";

/**
 * Shows its children to a signed-in person. On load it asks the hub whom the session cookie
 * belongs to; without a session it shows the sign-in form, or the first-admin form at /setup.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const { user, checked, notice } = useAuth();
  const { pathname } = useLocation();
  const session = useQuery({ ...sessionQuery(), enabled: !checked });

  useEffect(() => {
    if (session.data?.user) authStore.signedIn(session.data.user);
    else if (session.data) authStore.signOut(null);
    else if (session.error) authStore.signOut(HUB_UNREACHABLE);
  }, [session.data, session.error]);

  if (user) return <>{children}</>;
  let content: ReactNode;
  if (pathname === "/setup") content = <SetupForm onSignedIn={(u) => authStore.signedIn(u)} />;
  else if (!checked) content = <p className="muted">Checking the session…</p>;
  else if (session.data?.setup_open) content = <AwaitingSetup />;
  else content = <SignInForm notice={notice} onSignedIn={(u) => authStore.signedIn(u)} />;
  return (
    <main className="page page--narrow" id="main">
      {content}
    </main>
  );
}
