import { render, screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { MiddleEllipsis, splitForEllipsis } from "./MiddleEllipsis";

it("keeps the end of a long path, where similar mounts differ", () => {
  expect(splitForEllipsis("/srv/backups/hosts/kitchen-pi/weekly")).toEqual([
    "/srv/backups/hosts/kitchen-pi",
    "/weekly",
  ]);
  expect(splitForEllipsis("/data")).toEqual(["/data", ""]);
  const [head, tail] = splitForEllipsis("/mnt/a-very-long-single-segment-name-for-a-disk");
  expect(tail).toHaveLength(18);
  expect(head + tail).toBe("/mnt/a-very-long-single-segment-name-for-a-disk");
});

it("shows the whole path on hover and keeps all of it in the page", () => {
  render(<MiddleEllipsis text="/srv/backups/hosts/kitchen-pi/weekly" />);
  const shown = screen.getByTitle("/srv/backups/hosts/kitchen-pi/weekly");
  expect(shown).toHaveTextContent("/srv/backups/hosts/kitchen-pi/weekly");
});
