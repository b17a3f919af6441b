import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Notice } from "../../components/ui/Notice";
import { mountSettingMutation } from "./queries";
import type { AlertSettingsRead, MountMode } from "./types";

const MODES: { value: MountMode; label: string; explain: string }[] = [
  {
    value: "default",
    label: "Alert on usage",
    explain:
      "Warn and go critical at these used percentages, while the free space is also low, and when a confident forecast fills it within days.",
  },
  {
    value: "expected_full",
    label: "Expected full",
    explain:
      "For a disk meant to run full (backups, media, a cache): no alert at a high percentage, only when it is almost out of space (under 1 % or 50 GiB free to warn, 0.2 % or 10 GiB to go critical).",
  },
  {
    value: "ignore",
    label: "Ignore",
    explain: "No alert of any kind for this disk; it stays in the list, its bar calm.",
  },
];

interface Props {
  serverId: string;
  mountPoint: string;
  /** The mount's own rule, if it has one (an exact path). */
  rule: AlertSettingsRead | undefined;
  onDone: () => void;
}

function percent(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

/** The menu of one disk: its mode and, in default mode, its own warning and critical levels. */
export function DiskAlertSettings({ serverId, mountPoint, rule, onDone }: Props) {
  const queryClient = useQueryClient();
  const save = useMutation(mountSettingMutation(queryClient, serverId));
  const [mode, setMode] = useState<MountMode>(rule?.mode ?? "default");
  const [warn, setWarn] = useState(rule?.warn_percent?.toString() ?? "");
  const [crit, setCrit] = useState(rule?.crit_percent?.toString() ?? "");
  const explainId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      {
        mount_point: mountPoint,
        mode,
        warn_percent: mode === "default" ? percent(warn) : null,
        crit_percent: mode === "default" ? percent(crit) : null,
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form className="disk-alert__form" onSubmit={submit} aria-label={`Alerts for ${mountPoint}`}>
      <label className="field">
        <span className="field__label">Mode</span>
        <select
          value={mode}
          aria-describedby={explainId}
          onChange={(event) => setMode(event.target.value as MountMode)}
        >
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <p id={explainId} className="disk-alert__explain muted small">
        {MODES.find((m) => m.value === mode)?.explain}
      </p>
      {mode === "default" ? (
        <>
          <label className="field">
            <span className="field__label">Warn at %</span>
            <input
              type="number"
              min={1}
              max={100}
              step="any"
              value={warn}
              placeholder={String(rule?.effective.warn_percent ?? 85)}
              onChange={(event) => setWarn(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field__label">Critical at %</span>
            <input
              type="number"
              min={1}
              max={100}
              step="any"
              value={crit}
              placeholder={String(rule?.effective.crit_percent ?? 95)}
              onChange={(event) => setCrit(event.target.value)}
            />
          </label>
        </>
      ) : null}
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        Save
      </button>
      <button type="button" className="button" onClick={onDone}>
        Cancel
      </button>
      {save.isError ? <Notice tone="error">{save.error.message}</Notice> : null}
    </form>
  );
}
