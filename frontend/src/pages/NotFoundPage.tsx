import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to all servers</Link>
      </p>
    </main>
  );
}
