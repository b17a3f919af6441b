import { render, screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { PercentBar } from "./PercentBar";

it.each([
  [42, "ok"],
  [85, "warning"],
  [95, "critical"],
])("a bar at %d %% is coloured %s and labelled", (percent, level) => {
  render(<PercentBar percent={percent} label="/data used" />);
  const meter = screen.getByRole("meter", { name: "/data used" });
  expect(meter).toHaveAttribute("data-level", level);
  expect(meter).toHaveAttribute("aria-valuenow", String(percent));
});

it("clamps its fill to 0–100 %", () => {
  render(<PercentBar percent={130} label="odd" />);
  expect(screen.getByRole("meter", { name: "odd" })).toHaveAttribute("aria-valuenow", "100");
});
