import { describe, expect, it } from "vitest";
import { byteTickLabels, byteTicks, fittedRange } from "./chartOptions";

const GIB = 1024 ** 3;
const TIB = 1024 ** 4;

describe("byte axis ticks", () => {
  it("steps round in the one unit of the top value", () => {
    const ticks = byteTicks(3.78 * TIB, 4.02 * TIB);
    expect(byteTickLabels(ticks)).toEqual([
      "3.80 TiB",
      "3.85 TiB",
      "3.90 TiB",
      "3.95 TiB",
      "4.00 TiB",
    ]);
  });

  it("never prints two ticks alike", () => {
    // 1.1 TiB four times was the old axis: ticks 16 GiB apart at one decimal of a TiB.
    const ticks = [1.09, 1.1, 1.11, 1.12].map((t) => t * TIB);
    const labels = byteTickLabels(ticks);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(["1.09 TiB", "1.10 TiB", "1.11 TiB", "1.12 TiB"]);
    for (const [min, max] of [
      [1.05 * TIB, 1.15 * TIB],
      [690 * GIB, 741 * GIB],
      [0, 8 * TIB],
      [100, 900],
      [7.999 * TIB, 8 * TIB],
    ] as const) {
      const shown = byteTickLabels(byteTicks(min, max));
      expect(new Set(shown).size, `${min}–${max}`).toBe(shown.length);
      expect(shown.length, `${min}–${max}`).toBeGreaterThanOrEqual(2);
    }
  });

  it("keeps whole numbers whole", () => {
    expect(byteTickLabels(byteTicks(0, 8 * TIB))).toEqual([
      "0 TiB",
      "2 TiB",
      "4 TiB",
      "6 TiB",
      "8 TiB",
    ]);
    expect(byteTickLabels(byteTicks(600 * GIB, 750 * GIB))).toEqual([
      "600 GiB",
      "650 GiB",
      "700 GiB",
      "750 GiB",
    ]);
    expect(byteTickLabels([0, 512, 1000])).toEqual(["0 B", "512 B", "1000 B"]);
  });

  it("stays inside the range it is given", () => {
    const ticks = byteTicks(3.78 * TIB, 4.02 * TIB);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(3.78 * TIB);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(4.02 * TIB);
  });
});

describe("fitted y range", () => {
  it("stops at the disk's size: no tick above a full disk", () => {
    expect(fittedRange(7 * TIB, 8 * TIB, 8 * TIB)).toEqual([6.9 * TIB, 8 * TIB]);
    expect(fittedRange(7 * TIB, 8 * TIB)[1]).toBeGreaterThan(8 * TIB);
    // Far below the size, the margin stays.
    expect(fittedRange(1 * TIB, 2 * TIB, 8 * TIB)[1]).toBeCloseTo(2.1 * TIB);
  });
});
