import { authStore, useAuth } from "../auth/store";
import { SignInForm } from "../features/auth/SignInForm";

export function SignInPage() {
  const { notice } = useAuth();
  return (
    <main className="page page--narrow" id="main">
      <SignInForm notice={notice} onSignedIn={(key) => authStore.signIn(key)} />
    </main>
  );
}
