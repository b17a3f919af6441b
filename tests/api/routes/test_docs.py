"""/api/docs: Swagger UI from the hub itself, so it works offline and runs no third-party script."""

from html.parser import HTMLParser

from fastapi.testclient import TestClient

from homelab_cmd import __version__


class Page(HTMLParser):
    """The URLs a page loads and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "data-openapi-url"):
            if values.get(name):
                self.urls.append(str(values[name]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def _page(client: TestClient, path: str = "/api/docs") -> Page:
    response = client.get(path, headers={"X-API-Key": ""})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(response.text)
    return page


def test_docs_page_loads_only_files_of_the_hub_and_each_is_served(client: TestClient) -> None:
    page = _page(client)

    assert sorted(page.urls) == [
        "/api/docs/favicon.png",
        "/api/docs/swagger-init.js",
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-ui.css",
        "/api/openapi.json",
    ]
    assert page.inline_scripts == []
    kinds = {}
    for url in page.urls:
        # Anonymous, as a browser opening the docs is.
        response = client.get(url, headers={"X-API-Key": ""})
        assert response.status_code == 200, url
        kinds[url.rsplit("/", 1)[-1]] = response.headers["content-type"].split(";")[0]
        assert len(response.content) > 0
    assert kinds == {
        "favicon.png": "image/png",
        "swagger-init.js": "text/javascript",
        "swagger-ui-bundle.js": "text/javascript",
        "swagger-ui.css": "text/css",
        "openapi.json": "application/json",
    }


def test_swagger_files_are_the_real_distribution_started_without_a_validator(
    client: TestClient,
) -> None:
    bundle = client.get("/api/docs/swagger-ui-bundle.js").text
    init = client.get("/api/docs/swagger-init.js").text

    assert "SwaggerUIBundle" in bundle
    assert "https://" not in init
    assert "validatorUrl: null" in init
    assert client.get("/api/openapi.json").json()["info"]["version"] == __version__


def test_behind_a_path_prefix_the_page_links_carry_it(client: TestClient) -> None:
    with TestClient(client.app, root_path="/hub") as prefixed:
        page = _page(prefixed)

    assert all(url.startswith("/hub/api/") for url in page.urls)


def test_the_page_names_no_other_host(client: TestClient) -> None:
    text = client.get("/api/docs").text

    assert "http:" not in text
    assert "https:" not in text
    assert "//" not in text.replace("<!doctype html>", "")
