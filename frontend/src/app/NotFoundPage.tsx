import { Link } from "react-router-dom";
import { useDocumentTitle } from "../lib/useDocumentTitle";

export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to all servers</Link>
      </p>
    </main>
  );
}
