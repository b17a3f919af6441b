"""Notification channels: secrets never read back, bad URLs refused, a test goes to a real sink."""

from fastapi.testclient import TestClient

from tests.notify_sinks import http_sink

CHANNELS = "/api/v1/notification-channels"


def test_a_channel_url_is_redacted_when_read(client: TestClient) -> None:
    url = "ntfys://user:hunter2secret@ntfy.example.com/alerts"
    created = client.post(CHANNELS, json={"name": "phone", "url": url})
    assert created.status_code == 201
    assert "hunter2secret" not in created.text
    listed = client.get(CHANNELS)
    assert "hunter2secret" not in listed.text
    assert listed.json()["data"][0]["url_redacted"].startswith("ntfys://")


def test_a_url_apprise_cannot_send_to_is_refused(client: TestClient) -> None:
    refused = client.post(CHANNELS, json={"name": "x", "url": "nosuchscheme://host"})
    assert (refused.status_code, refused.json()["error"]) == (422, "InvalidChannelUrl")
    assert client.get(CHANNELS).json()["count"] == 0


def test_send_test_reaches_a_real_sink_and_reports_a_failure(client: TestClient) -> None:
    with http_sink() as sink:
        channel = client.post(CHANNELS, json={"name": "hook", "url": sink.url}).json()
        result = client.post(f"{CHANNELS}/{channel['id']}/test").json()
        assert result == {"delivered": True, "error": None}
        assert [m["title"] for m in sink.messages()] == ["HomelabCmd test message"]
    dead = client.post(f"{CHANNELS}/{channel['id']}/test").json()
    assert dead["delivered"] is False
    assert dead["error"]


def test_channels_are_updated_and_deleted(client: TestClient) -> None:
    channel = client.post(CHANNELS, json={"name": "hook", "url": "json://127.0.0.1:9/"}).json()
    changed = client.patch(f"{CHANNELS}/{channel['id']}", json={"enabled": False}).json()
    assert changed["enabled"] is False
    bad = client.patch(f"{CHANNELS}/{channel['id']}", json={"url": "nope://"})
    assert bad.status_code == 422
    assert client.delete(f"{CHANNELS}/{channel['id']}").status_code == 204
    assert client.delete(f"{CHANNELS}/{channel['id']}").status_code == 404


def test_environment_channels_are_listed_redacted(client: TestClient) -> None:
    environment = client.get(CHANNELS).json()["environment"]
    assert environment == []
