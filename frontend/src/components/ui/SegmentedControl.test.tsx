import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { expect, it } from "vitest";
import { SegmentedControl } from "./SegmentedControl";

function Harness() {
  const [value, setValue] = useState<"24h" | "7d" | "30d">("24h");
  return (
    <SegmentedControl
      label="Range"
      options={["24h", "7d", "30d"]}
      value={value}
      onChange={setValue}
    />
  );
}

it("presses one option and moves with the arrow keys", async () => {
  const user = userEvent.setup();
  render(<Harness />);
  expect(screen.getByRole("button", { name: "24h" })).toHaveAttribute("aria-pressed", "true");
  await user.click(screen.getByRole("button", { name: "7d" }));
  expect(screen.getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");
  await user.keyboard("{ArrowRight}");
  expect(screen.getByRole("button", { name: "30d" })).toHaveAttribute("aria-pressed", "true");
  expect(screen.getByRole("button", { name: "30d" })).toHaveFocus();
});
