import { Link } from "react-router-dom";
import { useAuth } from "../../lib/auth";

/** The header's way to the Accounts page: admins only, as only they may manage accounts. */
export function AccountsLink() {
  const { user } = useAuth();
  if (user?.role !== "admin") return null;
  return (
    <Link to="/settings/accounts" className="button button--ghost">
      Accounts
    </Link>
  );
}
