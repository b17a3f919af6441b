import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Notice } from "../../components/ui/Notice";
import { mountSettingMutation } from "./queries";
import type { AlertSettingsRead, MountMode } from "./types";

const MODES: { value: MountMode; label: string }[] = [
  { value: "default", label: "Alert on usage" },
  { value: "expected_full", label: "Expected full" },
  { value: "ignore", label: "Ignore" },
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
    <form className="alert-row__actions" onSubmit={submit} aria-label={`Alerts for ${mountPoint}`}>
      <label className="field">
        <span className="field__label">Mode</span>
        <select value={mode} onChange={(event) => setMode(event.target.value as MountMode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
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
