import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { SearchField, SelectField } from "./Fields";

it("reports what is typed in the search box", async () => {
  const onChange = vi.fn();
  render(
    <SearchField
      label="Filter"
      ariaLabel="Filter disks"
      value=""
      placeholder="mount"
      onChange={onChange}
    />,
  );
  await userEvent.type(screen.getByRole("searchbox", { name: "Filter disks" }), "d");
  expect(onChange).toHaveBeenLastCalledWith("d");
});

it("offers every option by its label and reports the chosen value", async () => {
  const onChange = vi.fn();
  const options: Record<"fullest" | "mount", string> = {
    fullest: "Fullest first",
    mount: "Mount point",
  };
  render(
    <SelectField
      label="Sort"
      ariaLabel="Sort disks"
      value="fullest"
      options={options}
      onChange={onChange}
    />,
  );
  const select = screen.getByRole("combobox", { name: "Sort disks" });
  expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual([
    "Fullest first",
    "Mount point",
  ]);
  await userEvent.selectOptions(select, "Mount point");
  expect(onChange).toHaveBeenCalledWith("mount");
});
