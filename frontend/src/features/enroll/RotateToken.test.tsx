import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { RotateToken } from "./RotateToken";

it("asks first, then revokes and shows how to enroll the host again", async () => {
  const user = userEvent.setup();
  const calls: string[] = [];
  server.use(
    http.post("*/api/v1/servers/:id/token", ({ params }) => {
      calls.push(String(params.id));
      return HttpResponse.json({
        code: "hle_again",
        expires_at: "2026-12-01T05:00:00Z",
        server_id: "nas",
        install_command: "curl -fsSL http://hub:8080/install.sh | sudo sh -s -- --code hle_again",
        enroll_command: "sudo homelab-agent enroll http://hub:8080 hle_again",
      });
    }),
  );
  renderWithProviders(<RotateToken serverId="nas" name="NAS" />);
  await user.click(screen.getByRole("button", { name: "Rotate token…" }));
  expect(screen.getByRole("alertdialog")).toHaveTextContent("Revoke the agent token of NAS");
  expect(calls).toEqual([]);

  await user.click(screen.getByRole("button", { name: "Rotate token" }));
  expect(await screen.findByText("Token revoked")).toBeInTheDocument();
  expect(screen.getByLabelText("Enroll command")).toHaveTextContent(
    "sudo homelab-agent enroll http://hub:8080 hle_again",
  );
  expect(calls).toEqual(["nas"]);
});
