import { describe, expect, it } from "vitest";
import { makeDomain, makeFilesystem } from "../../test/fixtures";
import { isGrouped, layoutDisks } from "./diskGroups";

const GIB = 1024 ** 3;

const pool = makeDomain({
  key: "zfs:tank",
  kind: "zfs_pool",
  members: ["/tank", "/tank/media", "/tank/backups", "/srv/media"],
  used_bytes: 900 * GIB,
  available_bytes: 100 * GIB,
  total_bytes: 1000 * GIB,
});
const quota = makeDomain({
  key: "zfs:tank/ct-101",
  kind: "zfs_dataset",
  parent: "zfs:tank",
  members: ["/tank/ct-101"],
  used_bytes: 2 * GIB,
  available_bytes: 6 * GIB,
  total_bytes: 8 * GIB,
  counted: false,
});
const root = makeDomain({ key: "dev:/dev/sda2", kind: "device", members: ["/"] });
const inPool = (mount: string, domain = "zfs:tank") =>
  makeFilesystem({ mount_point: mount, fs_type: "zfs", capacity_domain: domain, percent: 10 });

describe("layoutDisks", () => {
  it("shows a pool once, with its datasets, its quota child and its second mounts", () => {
    const filesystems = [
      makeFilesystem({ mount_point: "/", capacity_domain: "dev:/dev/sda2", percent: 50 }),
      inPool("/tank"),
      inPool("/tank/media"),
      inPool("/tank/backups"),
      inPool("/tank/ct-101", "zfs:tank/ct-101"),
    ];
    const { groups, missing } = layoutDisks(filesystems, [pool, quota, root], "", "fullest");
    expect(missing).toEqual([]);
    expect(groups.map((g) => g.key)).toEqual(["zfs:tank", "dev:/dev/sda2"]); // 90 % before 50 %
    const tank = groups[0]!;
    expect(isGrouped(tank)).toBe(true);
    expect(tank.filesystems.map((fs) => fs.mount_point).sort()).toEqual([
      "/tank",
      "/tank/backups",
      "/tank/ct-101",
      "/tank/media",
    ]);
    expect(tank.others).toEqual(["/srv/media"]);
    expect(isGrouped(groups[1]!)).toBe(false);
  });

  it("puts missing mounts first, the most bytes written underneath first", () => {
    const filesystems = [
      makeFilesystem({ mount_point: "/" }),
      makeFilesystem({ mount_point: "/mnt/a", state: "missing", shadowed_bytes: 10 }),
      makeFilesystem({ mount_point: "/mnt/b", state: "missing", shadowed_bytes: 5 * GIB }),
    ];
    const { groups, missing } = layoutDisks(filesystems, null, "", "fullest");
    expect(missing.map((fs) => fs.mount_point)).toEqual(["/mnt/b", "/mnt/a"]);
    expect(groups.map((g) => g.key)).toEqual(["fs:/"]);
  });

  it("shows a union with its branches, each branch once", () => {
    const union = makeDomain({
      key: "union:/mnt/user",
      kind: "union",
      members: ["/mnt/user"],
      union_of: ["/mnt/disk1", "/mnt/disk2"],
      counted: false,
    });
    const small = makeDomain({
      key: "union:/mnt/user0",
      kind: "union",
      members: ["/mnt/user0"],
      union_of: ["/mnt/disk1"],
      counted: false,
    });
    const disks = ["/mnt/disk1", "/mnt/disk2"].map((mount, i) =>
      makeDomain({ key: `dev:/dev/md${i + 1}p1`, kind: "device", members: [mount] }),
    );
    const filesystems = [
      makeFilesystem({ mount_point: "/mnt/disk1", capacity_domain: "dev:/dev/md1p1" }),
      makeFilesystem({ mount_point: "/mnt/disk2", capacity_domain: "dev:/dev/md2p1" }),
      makeFilesystem({ mount_point: "/mnt/user0", capacity_domain: "union:/mnt/user0" }),
      makeFilesystem({ mount_point: "/mnt/user", capacity_domain: "union:/mnt/user" }),
    ];
    const { groups } = layoutDisks(filesystems, [union, small, ...disks], "", "mount");
    const byKey = Object.fromEntries(
      groups.map((g) => [g.key, g.filesystems.map((fs) => fs.mount_point)]),
    );
    expect(byKey).toEqual({
      "union:/mnt/user": ["/mnt/disk1", "/mnt/disk2", "/mnt/user"],
      "union:/mnt/user0": ["/mnt/user0"],
    });
  });

  it("filters by mount, device, type or domain", () => {
    const filesystems = [inPool("/tank"), inPool("/tank/media"), makeFilesystem()];
    const byMount = layoutDisks(filesystems, [pool, root], "media", "fullest");
    expect(byMount.groups.map((g) => g.filesystems.map((fs) => fs.mount_point))).toEqual([
      ["/tank/media"],
    ]);
    const byDomain = layoutDisks(filesystems, [pool, root], "zfs:tank", "fullest");
    expect(byDomain.groups[0]!.filesystems).toHaveLength(2);
  });
});

describe("problems first", () => {
  it("puts unreachable disks, then disks filling within two weeks, above the fullest", () => {
    const rows = [
      makeFilesystem({ mount_point: "/full", percent: 97 }),
      makeFilesystem({ mount_point: "/soon", percent: 40, confident: true, days_until_full: 1 }),
      makeFilesystem({ mount_point: "/hung", percent: 10, state: "unreachable" }),
      makeFilesystem({ mount_point: "/far", percent: 50, confident: true, days_until_full: 90 }),
      makeFilesystem({ mount_point: "/maybe", percent: 20, confident: false, days_until_full: 2 }),
    ];
    const layout = layoutDisks(rows, [], "", "problems");
    expect(layout.groups.map((g) => g.filesystems[0]!.mount_point)).toEqual([
      "/hung",
      "/soon",
      "/full",
      "/far",
      "/maybe",
    ]);
  });
});
