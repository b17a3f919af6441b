// Generated from frontend/openapi.json by `npm run gen:types`. Do not edit by hand.

export interface paths {
  "/api/v1/agents/enroll": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Enroll
     * @description Trade a single-use code for this host's server and agent token (`homelab-agent enroll`).
     *
     *     The code is the credential: no other is needed, and it works once. Only a code from
     *     rotating a server's token enrolls a host as an existing server (revoking its earlier
     *     token); a plain code with the server_guid of an enrolled server is refused (409), unused.
     */
    post: operations["enrollment-enroll"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/agents/heartbeat": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Post Heartbeat
     * @description Store a heartbeat (agent access, own server only); 200 means committed.
     *
     *     A replay of (server_id, timestamp) is stored once. Each server has budgets (heartbeats a
     *     minute, how far back, capacity-domain depth): past one, 429 or 422 and nothing is stored.
     */
    post: operations["agents-post_heartbeat"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/agents/plain-http": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Plain Http Servers
     * @description Servers reporting over plain http from another machine: their tokens and data cross the
     *     network readable (serve the hub over https, docs/security.md).
     */
    get: operations["enrollment-plain_http_servers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/alert-settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read Global Settings
     * @description The global defaults every server and mount inherits.
     */
    get: operations["alert-settings-read_global_settings"];
    /**
     * Put Global Settings
     * @description Replace the global defaults; null or absent fields fall back to the built-in ones.
     */
    put: operations["alert-settings-put_global_settings"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/alerts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Alerts
     * @description Alerts newest first: `open` (pending and firing) unless another state is asked for.
     */
    get: operations["alerts-list_alerts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/alerts/{alert_id}/ack": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Acknowledge Alert
     * @description Acknowledge an alert: it stops repeating; its resolution is still sent.
     */
    post: operations["alerts-acknowledge_alert"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Events
     * @description The newest events first; pass `next_before_id` as `before_id` for older ones.
     */
    get: operations["audit-list_events"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Login
     * @description Check the password and set the session cookie (HttpOnly, SameSite=Strict).
     *
     *     After a burst of failures for this username from this address, from this address, or for
     *     this username from an address it never signed in from, answers 429 with Retry-After
     *     without looking at the password; while the hub checks as many passwords as it allows at
     *     once, 503 with Retry-After (docs/security.md).
     */
    post: operations["auth-login"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Logout
     * @description End this browser's session (if any) and clear its cookie.
     */
    post: operations["auth-logout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Me
     * @description Who is signed in (or whose token this is).
     */
    get: operations["auth-me"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Browser Session
     * @description Who this browser's session cookie signs in (null if none or ended), and whether the hub
     *     waits for its first admin. Always 200, so a fresh visit logs no failed request.
     */
    get: operations["auth-browser_session"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/setup": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Setup
     * @description Create the first admin with the setup link's token, and sign in as that admin.
     */
    post: operations["auth-setup"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/drives": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Drives
     * @description Every drive of the fleet with its health and key attributes, worst first.
     */
    get: operations["drives-list_drives"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/enrollments": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create Enrollment
     * @description A single-use code for adding one host (1 h by default), with its install command.
     */
    post: operations["enrollment-create_enrollment"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/legacy-key": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Legacy Key Status
     * @description Whether the old shared key still works for heartbeats, which servers still use it, and
     *     which it may still report for (those that never enrolled).
     */
    get: operations["enrollment-legacy_key_status"];
    put?: never;
    post?: never;
    /**
     * Disable Legacy
     * @description Stop accepting the old shared key, on every hub of the database within one revocation
     *     poll and after restarts (its file is renamed too).
     */
    delete: operations["enrollment-disable_legacy"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/notification-channels": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Channels
     * @description Stored channels and those of HOMELAB_CMD_NOTIFY_URLS, with what waits for each.
     */
    get: operations["notification-channels-list_channels"];
    put?: never;
    /**
     * Create Channel
     * @description Add a channel; the URL must be one Apprise can send to.
     */
    post: operations["notification-channels-create_channel"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/notification-channels/{channel_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete Channel
     * @description Remove a channel; messages still queued for it are dropped.
     */
    delete: operations["notification-channels-delete_channel"];
    options?: never;
    head?: never;
    /**
     * Update Channel
     * @description Change a channel's name, URL, threshold or switch it off.
     */
    patch: operations["notification-channels-update_channel"];
    trace?: never;
  };
  "/api/v1/notification-channels/{channel_id}/test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test Channel
     * @description Send a test message now and say whether it went out.
     */
    post: operations["notification-channels-test_channel"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/reports/capacity": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read Capacity Report
     * @description The capacity report as it would be sent now (docs/reports.md).
     */
    get: operations["reports-read_capacity_report"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/reports/capacity/send": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send Capacity Report
     * @description Queue the capacity report for every channel now; delivery is retried like alerts'.
     */
    post: operations["reports-send_capacity_report"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Servers
     * @description Every server with status, latest metrics and its fullest filesystem.
     */
    get: operations["servers-list_servers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Server
     * @description One server with its latest metrics and filesystems (null before any data).
     */
    get: operations["servers-get_server"];
    put?: never;
    post?: never;
    /**
     * Delete Server
     * @description Remove a server with all its history and its agent token.
     */
    delete: operations["servers-delete_server"];
    options?: never;
    head?: never;
    /**
     * Update Server
     * @description Rename a server (display name); null returns to the hostname.
     */
    patch: operations["servers-update_server"];
    trace?: never;
  };
  "/api/v1/servers/{server_id}/alert-settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read Server Settings
     * @description A server's own levels and those in force for it.
     */
    get: operations["alert-settings-read_server_settings"];
    /**
     * Put Server Settings
     * @description Replace a server's levels; null or absent fields inherit the global ones.
     */
    put: operations["alert-settings-put_server_settings"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/drives/{drive_id}/history": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Drive History
     * @description One drive's temperature, power-on hours and key counts over the range.
     */
    get: operations["drives-drive_history"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/filesystems/dismiss": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Dismiss Vanished Filesystem
     * @description Stop listing a filesystem the server no longer reports; its history is kept.
     */
    post: operations["servers-dismiss_vanished_filesystem"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/filesystems/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Filesystem Metrics
     * @description Used, available and total bytes per filesystem over the range, with each trend.
     *
     *     At most `max_history_series` series an answer, ordered by mount point; `next_offset` says
     *     where the next page starts.
     */
    get: operations["metrics-get_filesystem_metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/filesystems/settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Mount Settings
     * @description The server's mount rules, and the levels in force for each of its filesystems.
     */
    get: operations["alert-settings-list_mount_settings"];
    /**
     * Put Mount Settings
     * @description Set a mount's mode (default, expected_full, ignore) and levels; a glob covers many.
     */
    put: operations["alert-settings-put_mount_settings"];
    post?: never;
    /**
     * Delete Mount Settings
     * @description Remove a mount rule: the mount inherits the server's levels again.
     */
    delete: operations["alert-settings-delete_mount_settings"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/filesystems/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Filesystem Usage
     * @description A filesystem's latest scan, the directories that grew since the one before, the open
     *     request with its progress, and the kept scans; nulls for a filesystem never scanned.
     */
    get: operations["usage-get_filesystem_usage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/filesystems/usage-scans": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Request Usage Scan
     * @description Ask the server's agent to scan a filesystem (admin); it answers in a later heartbeat.
     *
     *     An open request for that filesystem is returned rather than a second one made. A mount the
     *     agent reports as unreachable or missing is a 409: a scan of it would hang.
     */
    post: operations["usage-request_usage_scan"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Server Metrics
     * @description CPU, memory, load and network over the range: raw, hourly or daily points.
     */
    get: operations["metrics-get_server_metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/servers/{server_id}/token": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate Server Token
     * @description Revoke the server's agent token now; the answer's code enrolls the host again as this
     *     same server (run its enroll or install command on the host).
     */
    post: operations["enrollment-rotate_server_token"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/silences": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Silences
     * @description Active silences (ended ones too when asked).
     */
    get: operations["silences-list_silences"];
    put?: never;
    /**
     * Create Silence
     * @description Mute messages about a server, or its mounts matching a pattern; alerts still change.
     */
    post: operations["silences-create_silence"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/silences/{silence_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete Silence
     * @description End a silence now.
     */
    delete: operations["silences-delete_silence"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/system/health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Health
     * @description Whether the hub runs and reaches its database.
     */
    get: operations["system-health"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Tokens
     * @description Every valid token, agent tokens included; never their secrets.
     */
    get: operations["tokens-list_tokens"];
    put?: never;
    /**
     * Create Token
     * @description A new read or admin token; its secret is in this answer and nowhere else.
     */
    post: operations["tokens-create_token"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/tokens/{token_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke Token
     * @description Revoke a token: requests carrying it get 401 from now on, on this hub at once and on
     *     every other hub on the database within one revocation poll (docs/security.md).
     */
    delete: operations["tokens-revoke_token"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List Users
     * @description Every account, oldest first.
     */
    get: operations["users-list_users"];
    put?: never;
    /**
     * Create User
     * @description A new account: `read` sees everything and changes nothing, `admin` may do anything.
     */
    post: operations["users-create_user"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete User
     * @description Delete an account and end its sessions; the last admin cannot be deleted (409).
     */
    delete: operations["users-delete_user"];
    options?: never;
    head?: never;
    /**
     * Update User
     * @description Change the role and/or set a new password; either signs the account's sessions out.
     *     The last admin cannot be made read-only (409).
     */
    patch: operations["users-update_user"];
    trace?: never;
  };
  "/install.sh": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Install Sh
     * @description The installer a new host runs: `curl -fsSL HUB/install.sh | sh -s -- --code CODE`.
     *
     *     Public: it holds no secret; the enrollment code is what admits a host.
     */
    get: operations["enrollment-install_sh"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/install/{filename}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Install File
     * @description The agent wheel, the versions of its dependencies (constraints.txt), its systemd unit.
     */
    get: operations["enrollment-install_file"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get Metrics
     * @description The fleet's current figures: Prometheus text, or OpenMetrics when Accept asks for it.
     */
    get: operations["prometheus-get_metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * AlertFilter
     * @description `open` is pending and firing; `acknowledged` is firing and acknowledged.
     * @enum {string}
     */
    AlertFilter:
      "firing" | "pending" | "open" | "acknowledged" | "resolved" | "all";
    /**
     * AlertKind
     * @enum {string}
     */
    AlertKind:
      | "disk_used"
      | "time_to_full"
      | "inodes_used"
      | "inodes_time_to_full"
      | "read_only"
      | "unreachable"
      | "vanished"
      | "missing"
      | "server_offline"
      | "drive_health"
      | "pool_degraded"
      | "pool_faulted"
      | "pool_errors"
      | "scrub_overdue"
      | "scrub_errors";
    /**
     * AlertLevels
     * @description Levels of one scope; a null or absent field inherits from the wider scope.
     *
     *     Warning levels may not be stricter than critical ones (checked by the service: 422).
     */
    AlertLevels: {
      /** Crit Days */
      crit_days?: number | null;
      /**
       * Crit Free Bytes
       * @description Null: size-aware default
       */
      crit_free_bytes?: number | null;
      /** Crit Percent */
      crit_percent?: number | null;
      /** Inodes Crit Percent */
      inodes_crit_percent?: number | null;
      /** Inodes Warn Percent */
      inodes_warn_percent?: number | null;
      mode?: components["schemas"]["MountMode"] | null;
      /** Warn Days */
      warn_days?: number | null;
      /**
       * Warn Free Bytes
       * @description Null: size-aware default
       */
      warn_free_bytes?: number | null;
      /** Warn Percent */
      warn_percent?: number | null;
    };
    /** AlertList */
    AlertList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["AlertRead"][];
    };
    /** AlertRead */
    AlertRead: {
      /** Acknowledged At */
      acknowledged_at: string | null;
      /** Acknowledged By */
      acknowledged_by: string | null;
      /** Figures */
      figures: {
        [key: string]: unknown;
      } | null;
      /** Fired At */
      fired_at: string | null;
      /**
       * Flapping
       * @description Its condition changes state too often: its messages are held until it settles (docs/alerts.md, Flapping)
       * @default false
       */
      flapping: boolean;
      /** Id */
      id: number;
      kind: components["schemas"]["AlertKind"];
      /** Message */
      message: string;
      /**
       * Mount Point
       * @description Null for conditions of the whole server
       */
      mount_point: string | null;
      /** Resolved At */
      resolved_at: string | null;
      /** Server Id */
      server_id: string;
      /**
       * Server Name
       * @description The server's display name, else its hostname
       */
      server_name: string;
      severity: components["schemas"]["Severity"];
      /**
       * Started At
       * Format: date-time
       * @description When the condition was first met (pending)
       */
      started_at: string;
      state: components["schemas"]["AlertState"];
      /**
       * Unknown
       * @description The server is offline: kept as it was, not re-checked
       */
      unknown: boolean;
    };
    /** AlertSettingsRead */
    AlertSettingsRead: {
      /** Crit Days */
      crit_days?: number | null;
      /**
       * Crit Free Bytes
       * @description Null: size-aware default
       */
      crit_free_bytes?: number | null;
      /** Crit Percent */
      crit_percent?: number | null;
      effective: components["schemas"]["EffectiveLevels"];
      /** Inodes Crit Percent */
      inodes_crit_percent?: number | null;
      /** Inodes Warn Percent */
      inodes_warn_percent?: number | null;
      mode?: components["schemas"]["MountMode"] | null;
      /** Mount Pattern */
      mount_pattern: string | null;
      /** Server Id */
      server_id: string | null;
      /** Warn Days */
      warn_days?: number | null;
      /**
       * Warn Free Bytes
       * @description Null: size-aware default
       */
      warn_free_bytes?: number | null;
      /** Warn Percent */
      warn_percent?: number | null;
    };
    /**
     * AlertState
     * @enum {string}
     */
    AlertState: "pending" | "firing" | "resolved";
    /** AtaAttributeWire */
    AtaAttributeWire: {
      /**
       * Count
       * @description What the hub judges
       */
      count: number;
      /**
       * Failing
       * @default null
       */
      failing: ("now" | "past") | null;
      /** Id */
      id: number;
      /**
       * Name
       * @default
       */
      name: string;
      /**
       * Normalized
       * @default null
       */
      normalized: number | null;
      /**
       * Raw
       * @default 0
       */
      raw: number;
      /**
       * Raw String
       * @default
       */
      raw_string: string;
      /**
       * Threshold
       * @default null
       */
      threshold: number | null;
      /**
       * Worst
       * @default null
       */
      worst: number | null;
    };
    /** AuditEventList */
    AuditEventList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["AuditEventRead"][];
      /**
       * Next Before Id
       * @description Pass as before_id for the next older page; null when this is the last
       */
      next_before_id: number | null;
    };
    /** AuditEventRead */
    AuditEventRead: {
      /**
       * Action
       * @description What happened, e.g. `auth.sign_in`, `user.deleted`
       */
      action: string;
      /**
       * Actor
       * @description Who: `user alice`, `token ci`, `cli`, `anonymous`, ...
       */
      actor: string;
      /**
       * At
       * Format: date-time
       */
      at: string;
      /** Detail */
      detail: string | null;
      /** Id */
      id: number;
      /**
       * Source
       * @description The client's address; null from the command line
       */
      source: string | null;
      /**
       * Target
       * @description What it was done to: a username, a token, a server
       */
      target: string | null;
    };
    /**
     * BrowserSession
     * @description What the web UI needs on load: who its cookie signs in, and whether setup is pending.
     */
    BrowserSession: {
      /**
       * Setup Open
       * @description Whether the hub waits for its first admin's setup link
       */
      setup_open: boolean;
      /** @description The signed-in person; null without a valid session */
      user: components["schemas"]["Me"] | null;
    };
    /**
     * CapacityDomain
     * @description Storage shared by one or more mounts: counted once, whatever the number of mounts.
     */
    CapacityDomain: {
      /**
       * Available Bytes
       * @default null
       */
      available_bytes: number | null;
      /**
       * Key
       * @example zfs:tank
       */
      key: string;
      /**
       * Kind
       * @description zfs_pool, zfs_dataset, btrfs, device, network or union
       * @example zfs_pool
       */
      kind: string;
      /**
       * Members
       * @description Mount points drawing on this storage: reported filesystems first, then binds, subvolumes and second mounts of them
       */
      members?: string[];
      /**
       * Parent
       * @description For a dataset held back by a quota: the domain it draws from
       * @default null
       */
      parent: string | null;
      /**
       * Total Bytes
       * @default null
       */
      total_bytes: number | null;
      /**
       * Union Of
       * @description For a union (mergerfs, Unraid shfs): mount points of its branches
       * @default null
       */
      union_of: string[] | null;
      /**
       * Used Bytes
       * @default null
       */
      used_bytes: number | null;
    };
    /**
     * CapacityDomainRead
     * @description Storage shared by mounts, with the forecast of everything that draws on it.
     *
     *     Its growth adds up its datasets' (ZFS) or is the largest of its mounts' (one filesystem
     *     mounted several times); its range and `confident` come from theirs (docs/forecast.md).
     */
    CapacityDomainRead: {
      /** Available Bytes */
      available_bytes?: number | null;
      /**
       * Confident
       * @description True when full_at rests on at least 3 days of history (or 3 cycle peaks) and its range is no wider than the time left until it; alerts act on confident forecasts only
       * @default false
       */
      confident: boolean;
      /**
       * Counted
       * @description True when the domain's bytes count towards totals: false for a quota dataset inside a pool and for a union whose branches are reported themselves
       */
      counted: boolean;
      /** Days Until Full */
      days_until_full?: number | null;
      /** @description What full_at follows: the level's trend, a regular daily peak, or the peaks of cleanups that recur on a schedule; null before a forecast exists */
      forecast_basis?: components["schemas"]["ForecastBasis"] | null;
      /**
       * Forecast Reason
       * @description Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned weekly; peaks at 78 %', 'not growing', 'under a day of history'
       */
      forecast_reason?: string | null;
      /**
       * Full At
       * @description Estimated instant the filesystem fills
       */
      full_at?: string | null;
      /**
       * Full At Earliest
       * @description Earliest plausible fill instant (90 % range); null when full_at is
       */
      full_at_earliest?: string | null;
      /**
       * Full At Latest
       * @description Latest plausible fill instant (90 % range); null when full_at is, or when it may not fill within ten years
       */
      full_at_latest?: string | null;
      /**
       * Growth Bytes Per Day
       * @description Robust growth rate of used bytes (of the cycle peaks when the forecast follows a peak or prune cycle); null with under a day of history
       */
      growth_bytes_per_day?: number | null;
      /**
       * Key
       * @example zfs:tank
       */
      key: string;
      /**
       * Kind
       * @description zfs_pool, zfs_dataset, btrfs, device, network or union
       * @example zfs_pool
       */
      kind: string;
      /**
       * Members
       * @description Mount points drawing on this storage: reported filesystems first, then binds, subvolumes and second mounts of them
       */
      members?: string[];
      /**
       * Parent
       * @description For a dataset held back by a quota: the domain it draws from
       */
      parent?: string | null;
      /**
       * Peak Headroom Bytes
       * @description Bytes left at the top of the peak or prune cycle, as of now
       */
      peak_headroom_bytes?: number | null;
      /** Total Bytes */
      total_bytes?: number | null;
      /**
       * Union Of
       * @description For a union (mergerfs, Unraid shfs): mount points of its branches
       */
      union_of?: string[] | null;
      /** Used Bytes */
      used_bytes?: number | null;
    };
    /**
     * CapacityReport
     * @description What the weekly capacity report says, as of `generated_at`.
     */
    CapacityReport: {
      alerts: components["schemas"]["ReportAlerts"];
      /**
       * Directory Growers
       * @description Directories that grew most between usage scans during the week
       */
      directory_growers: components["schemas"]["ReportDirectory"][];
      /**
       * Filling
       * @description Soonest full first
       */
      filling: components["schemas"]["ReportFilesystem"][];
      /**
       * Filling Count
       * @description How many fill within the horizon (all, not only listed)
       */
      filling_count: number;
      /**
       * Generated At
       * Format: date-time
       */
      generated_at: string;
      /**
       * Growers
       * @description Largest growth first
       */
      growers: components["schemas"]["ReportGrower"][];
      /**
       * Horizon Days
       * @description Filesystems filling within this many days are listed
       */
      horizon_days: number;
      /**
       * Hub Url
       * @description HOMELAB_CMD_PUBLIC_URL; null when it is not set
       */
      hub_url: string | null;
      /**
       * Next Report At
       * @description When the scheduled report goes out next; null when none is scheduled
       */
      next_report_at: string | null;
      /**
       * Period Start
       * Format: date-time
       * @description The week the report looks back on starts here
       */
      period_start: string;
      /**
       * Schedule
       * @description HOMELAB_CMD_REPORT_SCHEDULE as the hub reads it ('Mon 08:00 (hub local time)'); null when no report is scheduled
       */
      schedule: string | null;
      /** Server Count */
      server_count: number;
      /** Storage Changes */
      storage_changes: components["schemas"]["ReportStorageChange"][];
    };
    /**
     * CapacityTotals
     * @description Storage summed over capacity domains, each counted once (over the fleet, a network share
     *     once, and not at all when the server it lives on reports too).
     */
    CapacityTotals: {
      /**
       * Available Bytes
       * @default 0
       */
      available_bytes: number;
      /**
       * Domain Count
       * @default 0
       */
      domain_count: number;
      /**
       * Total Bytes
       * @default 0
       */
      total_bytes: number;
      /**
       * Used Bytes
       * @default 0
       */
      used_bytes: number;
    };
    /** ChannelCreate */
    ChannelCreate: {
      /**
       * Enabled
       * @default true
       */
      enabled: boolean;
      /** @default warning */
      min_severity: components["schemas"]["Severity"];
      /** Name */
      name: string;
      /**
       * Url
       * @description An Apprise URL: ntfy://…, json://…, mailto://…, tgram://…
       */
      url: string;
    };
    /** ChannelList */
    ChannelList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["ChannelRead"][];
      /** Environment */
      environment: components["schemas"]["EnvironmentChannelRead"][];
    };
    /** ChannelRead */
    ChannelRead: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Enabled */
      enabled: boolean;
      /** Id */
      id: number;
      /**
       * Last Error
       * @description Why the latest attempt failed, while one waits
       */
      last_error: string | null;
      min_severity: components["schemas"]["Severity"];
      /** Name */
      name: string;
      /**
       * Queued
       * @description Messages waiting for this channel (a failing one holds some)
       */
      queued: number;
      /**
       * Url Redacted
       * @description The URL with its secrets masked
       */
      url_redacted: string;
    };
    /** ChannelTestResult */
    ChannelTestResult: {
      /** Delivered */
      delivered: boolean;
      /**
       * Error
       * @description Why the test message did not go out
       */
      error: string | null;
    };
    /** ChannelUpdate */
    ChannelUpdate: {
      /** Enabled */
      enabled?: boolean | null;
      min_severity?: components["schemas"]["Severity"] | null;
      /** Name */
      name?: string | null;
      /** Url */
      url?: string | null;
    };
    /**
     * DismissFilesystem
     * @description Which vanished filesystem to stop listing.
     */
    DismissFilesystem: {
      /** Mount Point */
      mount_point: string;
    };
    /**
     * DriveHealth
     * @enum {string}
     */
    DriveHealth: "passed" | "warning" | "failed" | "asleep" | "unknown";
    /** DriveHistory */
    DriveHistory: {
      /** Drive Id */
      drive_id: number;
      /** Points */
      points: components["schemas"]["DrivePoint"][];
      range: components["schemas"]["HistoryRange"];
      /** @description raw: readings (hourly by default), kept for the hourly retention; daily beyond */
      resolution: components["schemas"]["Resolution"];
      /**
       * Step Seconds
       * @description Width of each point's bucket
       */
      step_seconds: number;
    };
    /** DriveList */
    DriveList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["DriveRead"][];
    };
    /**
     * DrivePoint
     * @description A raw reading, or a bucket of them (then the temperature is their mean, and its min/max
     *     are set, and each count is its highest).
     */
    DrivePoint: {
      /**
       * At
       * Format: date-time
       */
      at: string;
      /** Attributes */
      attributes: {
        [key: string]: number;
      };
      /** Power On Hours */
      power_on_hours: number | null;
      /** Temperature Celsius */
      temperature_celsius: number | null;
      /** Temperature Max */
      temperature_max?: number | null;
      /** Temperature Min */
      temperature_min?: number | null;
    };
    /**
     * DriveRead
     * @description One drive of a server: identity, health with its reasons, and the key figures.
     */
    DriveRead: {
      /**
       * Acknowledged
       * @description Findings an operator acknowledged (quiet until change)
       */
      acknowledged?: string[];
      /** Asleep Since */
      asleep_since: string | null;
      /**
       * Attributes
       * @description Key counts by name (`ata_5`, `nvme_media_errors`, …)
       */
      attributes?: {
        [key: string]: number;
      };
      /** Available Spare Percent */
      available_spare_percent?: number | null;
      /** Capacity Bytes */
      capacity_bytes: number | null;
      /**
       * Checked At
       * Format: date-time
       */
      checked_at: string;
      /** Filesystems */
      filesystems: string[];
      /**
       * First Seen At
       * Format: date-time
       */
      first_seen_at: string;
      health: components["schemas"]["DriveHealth"];
      /**
       * Id
       * @description The hub's id of this drive (for its history)
       */
      id: number;
      /**
       * Key
       * @description The agent's stable identity (wwn:…, serial:…, path:…)
       */
      key: string;
      /** Kind */
      kind: string;
      /** Model */
      model: string | null;
      /** Name */
      name: string;
      /** Pools */
      pools: string[];
      /** Power On Hours */
      power_on_hours: number | null;
      /** Read At */
      read_at: string | null;
      /** Reasons */
      reasons: string[];
      /** Serial */
      serial: string | null;
      /** Server Id */
      server_id: string;
      /**
       * State
       * @description What the agent said: ok, asleep, no_smart, error, …
       */
      state: string;
      /** Temperature Celsius */
      temperature_celsius: number | null;
      /** Used Percent */
      used_percent?: number | null;
    };
    /**
     * DriveReport
     * @description One drive as the agent read it (ADR 0004).
     */
    DriveReport: {
      /**
       * Asleep Since
       * @default null
       */
      asleep_since: string | null;
      /**
       * Ata Attributes
       * @default null
       */
      ata_attributes: components["schemas"]["AtaAttributeWire"][] | null;
      /** Block Devices */
      block_devices?: string[];
      /**
       * Capacity Bytes
       * @default null
       */
      capacity_bytes: number | null;
      /** Capacity Domains */
      capacity_domains?: string[];
      /**
       * Checked At
       * Format: date-time
       */
      checked_at: string;
      /**
       * Device Type
       * @default null
       */
      device_type: string | null;
      /**
       * Exit Status
       * @default null
       */
      exit_status: number | null;
      /** Exit Status Bits */
      exit_status_bits?: string[];
      /** Filesystems */
      filesystems?: string[];
      /**
       * Firmware
       * @default null
       */
      firmware: string | null;
      /** Id */
      id: string;
      /**
       * Kind
       * @default unknown
       */
      kind: string;
      /**
       * Message
       * @default null
       */
      message: string | null;
      /**
       * Model
       * @default null
       */
      model: string | null;
      /** Name */
      name: string;
      /** @default null */
      nvme: components["schemas"]["NvmeHealthWire"] | null;
      /** Pools */
      pools?: string[];
      /**
       * Power On Seconds
       * @default null
       */
      power_on_seconds: number | null;
      /**
       * Protocol
       * @default null
       */
      protocol: string | null;
      /**
       * Read At
       * @default null
       */
      read_at: string | null;
      /**
       * Rotation Rpm
       * @default null
       */
      rotation_rpm: number | null;
      /** @default null */
      scsi: components["schemas"]["ScsiHealthWire"] | null;
      /**
       * Serial
       * @default null
       */
      serial: string | null;
      /**
       * Smart Passed
       * @default null
       */
      smart_passed: boolean | null;
      /**
       * State
       * @default ok
       * @enum {string}
       */
      state: "ok" | "asleep" | "power_mode_unknown" | "no_smart" | "error";
      /**
       * Temperature Celsius
       * @default null
       */
      temperature_celsius: number | null;
      /**
       * Wwn
       * @default null
       */
      wwn: string | null;
    };
    /**
     * EffectiveLevels
     * @description The levels in force once built-in defaults and wider scopes are applied.
     */
    EffectiveLevels: {
      /** Clear Margin Percent */
      clear_margin_percent: number;
      /** Crit Days */
      crit_days: number;
      /** Crit Free Bytes */
      crit_free_bytes: number | null;
      /** Crit Percent */
      crit_percent: number;
      /** Inodes Crit Percent */
      inodes_crit_percent: number;
      /** Inodes Warn Percent */
      inodes_warn_percent: number;
      mode: components["schemas"]["MountMode"];
      /** Warn Days */
      warn_days: number;
      /** Warn Free Bytes */
      warn_free_bytes: number | null;
      /** Warn Percent */
      warn_percent: number;
    };
    /**
     * EnrollmentCode
     * @description A single-use code, shown once, with the commands that use it on the new host.
     */
    EnrollmentCode: {
      /** Code */
      code: string;
      /**
       * Enroll Command
       * @description For a host that has the agent installed already
       */
      enroll_command: string;
      /**
       * Expires At
       * Format: date-time
       */
      expires_at: string;
      /**
       * Hub Url Warning
       * @description Set when the commands name a loopback address (127.0.0.1, localhost), which other hosts cannot reach: what to do instead
       */
      hub_url_warning?: string | null;
      /**
       * Install Command
       * @description Run on the host: installs, enrolls and starts
       */
      install_command: string;
      /**
       * Server Id
       * @description The server the code re-enrolls, if any
       */
      server_id?: string | null;
    };
    /** EnrollmentCreate */
    EnrollmentCreate: {
      /**
       * Expires In Minutes
       * @description How long the code works
       * @default 60
       */
      expires_in_minutes: number;
    };
    /** EnrollRequest */
    EnrollRequest: {
      /** Code */
      code: string;
      /**
       * Hostname
       * @example nas.home.lan
       */
      hostname: string;
      /**
       * Server Guid
       * @description The host's lasting identity; enrolling again with it keeps the server
       */
      server_guid?: string | null;
    };
    /** EnrollResponse */
    EnrollResponse: {
      /** Display Name */
      display_name: string;
      /**
       * Server Id
       * @description Send heartbeats with this server_id
       */
      server_id: string;
      /**
       * Token
       * @description This host's agent token; shown only now
       */
      token: string;
    };
    /**
     * EnvironmentChannelRead
     * @description A channel from HOMELAB_CMD_NOTIFY_URLS: changed only in the hub's environment.
     */
    EnvironmentChannelRead: {
      /** Index */
      index: number;
      /** Last Error */
      last_error: string | null;
      min_severity: components["schemas"]["Severity"];
      /** Queued */
      queued: number;
      /** Url Redacted */
      url_redacted: string;
    };
    /**
     * ErrorResponse
     * @description Every error the API returns: the exception name and a sentence for humans.
     */
    ErrorResponse: {
      /** Detail */
      detail: string;
      /** Error */
      error: string;
    };
    /**
     * FilesystemMetric
     * @description One real filesystem as the agent saw it.
     */
    FilesystemMetric: {
      /** Available Bytes */
      available_bytes: number;
      /**
       * Capacity Domain
       * @description Key of the capacity domain this filesystem draws on
       * @default null
       * @example zfs:rpool
       */
      capacity_domain: string | null;
      /**
       * Device
       * @example /dev/sda1
       */
      device: string;
      /**
       * Fs Type
       * @example ext4
       */
      fs_type: string;
      /**
       * Inodes Total
       * @default null
       */
      inodes_total: number | null;
      /**
       * Inodes Used
       * @default null
       */
      inodes_used: number | null;
      /**
       * Mount Point
       * @example /data
       */
      mount_point: string;
      /**
       * Percent
       * @description Ignored: the hub derives it as df does, used / (used + available).
       * @default null
       */
      percent: number | null;
      /**
       * Read Only
       * @default null
       */
      read_only: boolean | null;
      /**
       * Shadowed Bytes
       * @description For a missing mount: bytes written into its directory on the parent filesystem (a bounded scan, so a lower bound on very large trees)
       * @default null
       */
      shadowed_bytes: number | null;
      /** @default ok */
      state: components["schemas"]["FilesystemState"];
      /** Total Bytes */
      total_bytes: number;
      /** Used Bytes */
      used_bytes: number;
    };
    /** FilesystemMetricsHistory */
    FilesystemMetricsHistory: {
      /**
       * End At
       * Format: date-time
       */
      end_at: string;
      /** Filesystems */
      filesystems: components["schemas"]["FilesystemSeries"][];
      /**
       * Next Offset
       * @description More series than this answer holds: ask again with this offset
       */
      next_offset?: number | null;
      range: components["schemas"]["HistoryRange"];
      resolution: components["schemas"]["Resolution"];
      /** Server Id */
      server_id: string;
      /**
       * Start At
       * Format: date-time
       */
      start_at: string;
      /**
       * Step Seconds
       * @description Width of each point's bucket
       */
      step_seconds: number;
      /**
       * Total Filesystems
       * @description How many filesystems the range holds; an answer carries at most max_history_series (default 250) of them
       */
      total_filesystems: number;
    };
    /** FilesystemPoint */
    FilesystemPoint: {
      /** Available Bytes */
      available_bytes: number;
      /**
       * Sample Count
       * @default 1
       */
      sample_count: number;
      /**
       * Timestamp
       * Format: date-time
       */
      timestamp: string;
      /** Total Bytes */
      total_bytes: number;
      /** Used Bytes */
      used_bytes: number;
      /** Used Bytes Max */
      used_bytes_max?: number | null;
      /** Used Bytes Min */
      used_bytes_min?: number | null;
    };
    /**
     * FilesystemRead
     * @description A filesystem of the latest snapshot, with its trend.
     */
    FilesystemRead: {
      /** Available Bytes */
      available_bytes: number;
      /**
       * Capacity Domain
       * @description Key of the capacity domain this filesystem draws on
       * @example zfs:rpool
       */
      capacity_domain?: string | null;
      /**
       * Confident
       * @description True when full_at rests on at least 3 days of history (or 3 cycle peaks) and its range is no wider than the time left until it; alerts act on confident forecasts only
       * @default false
       */
      confident: boolean;
      /** Days Until Full */
      days_until_full?: number | null;
      /**
       * Device
       * @example /dev/sda1
       */
      device: string;
      /**
       * Fill Domain
       * @description With fill_source 'domain': the key of that domain ('zfs:tank')
       */
      fill_domain?: string | null;
      /**
       * Fill Domain Label
       * @description With fill_source 'domain': the domain in words ('pool tank')
       */
      fill_domain_label?: string | null;
      /** @description 'own' when full_at follows the filesystem's own growth, 'domain' when it is the date of the capacity domain it shares with other mounts, which fills first; null without a date */
      fill_source?: components["schemas"]["FillSource"] | null;
      /** @description What full_at follows: the level's trend, a regular daily peak, or the peaks of cleanups that recur on a schedule; null before a forecast exists */
      forecast_basis?: components["schemas"]["ForecastBasis"] | null;
      /**
       * Forecast Reason
       * @description Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned weekly; peaks at 78 %', 'not growing', 'under a day of history'
       */
      forecast_reason?: string | null;
      /**
       * Fs Type
       * @example ext4
       */
      fs_type: string;
      /**
       * Full At
       * @description Estimated instant the filesystem fills
       */
      full_at?: string | null;
      /**
       * Full At Earliest
       * @description Earliest plausible fill instant (90 % range); null when full_at is
       */
      full_at_earliest?: string | null;
      /**
       * Full At Latest
       * @description Latest plausible fill instant (90 % range); null when full_at is, or when it may not fill within ten years
       */
      full_at_latest?: string | null;
      /**
       * Growth Bytes Per Day
       * @description Robust growth rate of used bytes (of the cycle peaks when the forecast follows a peak or prune cycle); null with under a day of history
       */
      growth_bytes_per_day?: number | null;
      /**
       * Inodes Confident
       * @description As `confident`, for inodes_full_at: enough history, a narrow range
       * @default false
       */
      inodes_confident: boolean;
      /** Inodes Days Until Full */
      inodes_days_until_full?: number | null;
      /**
       * Inodes Forecast Reason
       * @description Why, in a few words, as forecast_reason: 'not growing', …
       */
      inodes_forecast_reason?: string | null;
      /**
       * Inodes Full At
       * @description Estimated instant the last inode is used
       */
      inodes_full_at?: string | null;
      /**
       * Inodes Full At Earliest
       * @description Earliest plausible instant (90 % range); null when inodes_full_at is
       */
      inodes_full_at_earliest?: string | null;
      /**
       * Inodes Full At Latest
       * @description Latest plausible instant (90 % range); null when inodes_full_at is, or when it may not come within ten years
       */
      inodes_full_at_latest?: string | null;
      /**
       * Inodes Growth Per Day
       * @description Robust growth of inodes used, per day; null with under a day of history
       */
      inodes_growth_per_day?: number | null;
      /** Inodes Total */
      inodes_total?: number | null;
      /** Inodes Used */
      inodes_used?: number | null;
      /**
       * Mount Point
       * @example /data
       */
      mount_point: string;
      /**
       * Own Full At
       * @description When the filesystem's own growth alone would fill it; equal to full_at unless fill_source is 'domain'
       */
      own_full_at?: string | null;
      /**
       * Peak Headroom Bytes
       * @description Bytes left at the top of the peak or prune cycle, as of now
       */
      peak_headroom_bytes?: number | null;
      /**
       * Percent
       * @description Used, as df shows it: used / (used + available)
       */
      percent: number;
      /** Read Only */
      read_only?: boolean | null;
      /**
       * Shadowed Bytes
       * @description For a missing mount: bytes written into its directory on the parent filesystem (a bounded scan, so a lower bound on very large trees)
       */
      shadowed_bytes?: number | null;
      /** @default ok */
      state: components["schemas"]["FilesystemState"];
      /** Total Bytes */
      total_bytes: number;
      /** Used Bytes */
      used_bytes: number;
    };
    /** FilesystemSeries */
    FilesystemSeries: {
      /**
       * Confident
       * @description True when full_at rests on at least 3 days of history (or 3 cycle peaks) and its range is no wider than the time left until it; alerts act on confident forecasts only
       * @default false
       */
      confident: boolean;
      /** Days Until Full */
      days_until_full?: number | null;
      /** Device */
      device: string;
      /** @description What full_at follows: the level's trend, a regular daily peak, or the peaks of cleanups that recur on a schedule; null before a forecast exists */
      forecast_basis?: components["schemas"]["ForecastBasis"] | null;
      /**
       * Forecast Reason
       * @description Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned weekly; peaks at 78 %', 'not growing', 'under a day of history'
       */
      forecast_reason?: string | null;
      /** Fs Type */
      fs_type: string;
      /**
       * Full At
       * @description Estimated instant the filesystem fills
       */
      full_at?: string | null;
      /**
       * Full At Earliest
       * @description Earliest plausible fill instant (90 % range); null when full_at is
       */
      full_at_earliest?: string | null;
      /**
       * Full At Latest
       * @description Latest plausible fill instant (90 % range); null when full_at is, or when it may not fill within ten years
       */
      full_at_latest?: string | null;
      /**
       * Growth Bytes Per Day
       * @description Robust growth rate of used bytes (of the cycle peaks when the forecast follows a peak or prune cycle); null with under a day of history
       */
      growth_bytes_per_day?: number | null;
      /** Mount Point */
      mount_point: string;
      /**
       * Peak Headroom Bytes
       * @description Bytes left at the top of the peak or prune cycle, as of now
       */
      peak_headroom_bytes?: number | null;
      /** Points */
      points: components["schemas"]["FilesystemPoint"][];
    };
    /**
     * FilesystemState
     * @enum {string}
     */
    FilesystemState: "ok" | "unreachable" | "missing";
    /**
     * FilesystemUsage
     * @description A filesystem's latest scan, what grew since the one before, and the open request.
     */
    FilesystemUsage: {
      /**
       * Growth
       * @description Growers first, largest change first, then shrinkers; a directory one scan did not keep is not listed (unknown is not zero). Only two complete scans are compared (no budget stopped them, no hard links past the agent's budget): a partial scan's sizes are bounds, not sizes, so growth is empty while the latest is partial
       */
      growth?: components["schemas"]["UsageGrowth"][];
      /**
       * @description complete: `growth` compares `latest` with `previous`; latest_partial: the latest scan is partial, nothing is compared; no_baseline: no complete scan before the latest; not_scanned: no scan with directories yet
       * @default not_scanned
       */
      growth_basis: components["schemas"]["GrowthBasis"];
      /**
       * Growth Note
       * @description Why `growth` is empty when nothing was compared, in words
       */
      growth_note?: string | null;
      /** @description The newest kept scan that has directories; null before one */
      latest?: components["schemas"]["UsageScanRead"] | null;
      /** Mount Point */
      mount_point: string;
      /** @description The newest complete scan with directories before `latest`, when `latest` is complete: growth is against it; null otherwise */
      previous?: components["schemas"]["UsageScanHead"] | null;
      /** @description The open request, if any */
      request?: components["schemas"]["UsageScanProgress"] | null;
      /**
       * Scans
       * @description The kept scans, newest first (failed ones too)
       */
      scans?: components["schemas"]["UsageScanSummary"][];
    };
    /**
     * FillSource
     * @description Whose fill date a filesystem shows: its own, or the capacity domain's it draws on.
     * @enum {string}
     */
    FillSource: "own" | "domain";
    /**
     * ForecastBasis
     * @description Which line the fill date comes from (docs/forecast.md).
     * @enum {string}
     */
    ForecastBasis: "trend" | "peak" | "prune_cycle" | "steps";
    /** FullestFilesystem */
    FullestFilesystem: {
      /**
       * Available Bytes
       * @description Free space, for size-aware levels
       */
      available_bytes?: number | null;
      /**
       * Confident
       * @description True when full_at rests on at least 3 days of history (or 3 cycle peaks) and its range is no wider than the time left until it; alerts act on confident forecasts only
       * @default false
       */
      confident: boolean;
      /** Days Until Full */
      days_until_full?: number | null;
      /**
       * Fill Domain
       * @description With fill_source 'domain': the key of that domain ('zfs:tank')
       */
      fill_domain?: string | null;
      /**
       * Fill Domain Label
       * @description With fill_source 'domain': the domain in words ('pool tank')
       */
      fill_domain_label?: string | null;
      /** @description 'own' when full_at follows the filesystem's own growth, 'domain' when it is the date of the capacity domain it shares with other mounts, which fills first; null without a date */
      fill_source?: components["schemas"]["FillSource"] | null;
      /** @description What full_at follows: the level's trend, a regular daily peak, or the peaks of cleanups that recur on a schedule; null before a forecast exists */
      forecast_basis?: components["schemas"]["ForecastBasis"] | null;
      /**
       * Forecast Reason
       * @description Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned weekly; peaks at 78 %', 'not growing', 'under a day of history'
       */
      forecast_reason?: string | null;
      /**
       * Full At
       * @description Estimated instant the filesystem fills
       */
      full_at?: string | null;
      /**
       * Full At Earliest
       * @description Earliest plausible fill instant (90 % range); null when full_at is
       */
      full_at_earliest?: string | null;
      /**
       * Full At Latest
       * @description Latest plausible fill instant (90 % range); null when full_at is, or when it may not fill within ten years
       */
      full_at_latest?: string | null;
      /**
       * Growth Bytes Per Day
       * @description Robust growth rate of used bytes (of the cycle peaks when the forecast follows a peak or prune cycle); null with under a day of history
       */
      growth_bytes_per_day?: number | null;
      /** @description The alert levels in force for this mount (its mode and rule), to colour it by */
      levels?: components["schemas"]["EffectiveLevels"] | null;
      /** Mount Point */
      mount_point: string;
      /**
       * Own Full At
       * @description When the filesystem's own growth alone would fill it; equal to full_at unless fill_source is 'domain'
       */
      own_full_at?: string | null;
      /**
       * Peak Headroom Bytes
       * @description Bytes left at the top of the peak or prune cycle, as of now
       */
      peak_headroom_bytes?: number | null;
      /** Percent */
      percent: number;
      /**
       * Total Bytes
       * @description Size, for size-aware levels
       */
      total_bytes?: number | null;
    };
    /**
     * GrowthBasis
     * @description What a filesystem's growth compares, or why there is none to show.
     * @enum {string}
     */
    GrowthBasis: "complete" | "latest_partial" | "no_baseline" | "not_scanned";
    /** Health */
    Health: {
      /** Database */
      database: string;
      /**
       * Offline After Seconds
       * @description A server whose last heartbeat is older than this many seconds is offline (HOMELAB_CMD_OFFLINE_AFTER_SECONDS)
       */
      offline_after_seconds: number;
      /** Status */
      status: string;
      /** Version */
      version: string;
    };
    /**
     * HeartbeatRequest
     * @description What an agent posts every interval.
     */
    HeartbeatRequest: {
      /**
       * Agent Version
       * @default null
       */
      agent_version: string | null;
      /**
       * Capacity Domains
       * @description The storage the filesystems draw on; null from agents that do not know.
       * @default null
       */
      capacity_domains: components["schemas"]["CapacityDomain"][] | null;
      /**
       * Collector Errors
       * @description Collectors that failed this cycle, by name, with the reason.
       * @default null
       */
      collector_errors: {
        [key: string]: string;
      } | null;
      /**
       * Drives
       * @description After a drive pass only (ADR 0004): absent means no new reading, and the hub keeps what it had; [] means read, none found.
       * @default null
       */
      drives: components["schemas"]["DriveReport"][] | null;
      /**
       * Filesystems
       * @description Every real filesystem; null from agents that do not report them.
       * @default null
       */
      filesystems: components["schemas"]["FilesystemMetric"][] | null;
      /** Hostname */
      hostname: string;
      /** @default null */
      metrics: components["schemas"]["MetricsPayload"] | null;
      /** @default null */
      os_info: components["schemas"]["OSInfo"] | null;
      /**
       * Pools
       * @description After a pool pass only (ADR 0004): ZFS pools, md arrays, btrfs filesystems.
       * @default null
       */
      pools: components["schemas"]["PoolReport"][] | null;
      /** Server Id */
      server_id: string;
      /**
       * Timestamp
       * Format: date-time
       * @description When the agent collected the data. A time without a zone is UTC. A timestamp more than `max_clock_skew_seconds` (default 300) ahead of the hub clock is rejected with 422, never clamped: clamping would break replay idempotency.
       */
      timestamp: string;
      /**
       * @description The usage scan in progress, if any (ADR 0005).
       * @default null
       */
      usage_scan_running: components["schemas"]["UsageScanRunning"] | null;
      /**
       * Usage Scans
       * @description Usage scans finished since the last heartbeat (ADR 0005); absent: none.
       * @default null
       */
      usage_scans: components["schemas"]["UsageScanReport"][] | null;
    };
    /**
     * HeartbeatResponse
     * @description Shape of the original hub's answer, so its agents parse it.
     */
    HeartbeatResponse: {
      /**
       * Duplicate
       * @description True when this (server_id, timestamp) was already stored
       * @default false
       */
      duplicate: boolean;
      /** Pending Commands */
      pending_commands?: unknown[];
      /** Results Acknowledged */
      results_acknowledged?: number[];
      /**
       * Server Registered
       * @description True when this heartbeat registered the server
       * @default false
       */
      server_registered: boolean;
      /**
       * Status
       * @default ok
       */
      status: string;
      /**
       * Usage Scan Requests
       * @description Every open usage-scan request of this server, until answered or expired (ADR 0005)
       */
      usage_scan_requests?: components["schemas"]["UsageScanOrder"][];
    };
    /**
     * HistoryRange
     * @enum {string}
     */
    HistoryRange: "1h" | "6h" | "24h" | "7d" | "30d" | "90d" | "12m";
    /** HTTPValidationError */
    HTTPValidationError: {
      /** Detail */
      detail: string;
      /** Error */
      error: string;
      /**
       * Errors
       * @description Each field that did not validate; absent for a domain rule's 422
       */
      errors?: components["schemas"]["ValidationError"][];
    };
    /**
     * LatestMetrics
     * @description The newest heartbeat's host metrics in the hub's units (sizes in bytes); disk_* describe the root filesystem.
     */
    LatestMetrics: {
      /** Cpu Percent */
      cpu_percent: number | null;
      /** Disk Percent */
      disk_percent: number | null;
      /** Disk Total Bytes */
      disk_total_bytes: number | null;
      /** Disk Used Bytes */
      disk_used_bytes: number | null;
      /** Load 1M */
      load_1m: number | null;
      /** Load 5M */
      load_5m: number | null;
      /** Load 15M */
      load_15m: number | null;
      /** Memory Percent */
      memory_percent: number | null;
      /** Memory Total Bytes */
      memory_total_bytes: number | null;
      /** Memory Used Bytes */
      memory_used_bytes: number | null;
      /** Network Rx Bytes */
      network_rx_bytes: number | null;
      /** Network Tx Bytes */
      network_tx_bytes: number | null;
      /** Uptime Seconds */
      uptime_seconds: number | null;
    };
    /** LegacyKeyServer */
    LegacyKeyServer: {
      /**
       * Last Heartbeat At
       * Format: date-time
       */
      last_heartbeat_at: string;
      /**
       * May Report
       * @description Whether the legacy key still reports for it: only a server that never enrolled; an enrolled one's heartbeats on the key are refused (403)
       */
      may_report: boolean;
      /** Server Id */
      server_id: string;
    };
    /**
     * LegacyKeyStatus
     * @description The shared key of earlier versions: accepted for heartbeats until turned off.
     */
    LegacyKeyStatus: {
      /** Enabled */
      enabled: boolean;
      /**
       * Never Enrolled
       * @description Every server that never enrolled: the only ones the key may report for
       * @default []
       */
      never_enrolled: string[];
      /**
       * Servers
       * @description Servers whose heartbeats came with it since the hub started
       */
      servers: components["schemas"]["LegacyKeyServer"][];
    };
    /** LoginRequest */
    LoginRequest: {
      /** Password */
      password: string;
      /** Username */
      username: string;
    };
    /**
     * Me
     * @description Who the request's credential belongs to.
     */
    Me: {
      /**
       * Expires At
       * @description When a session ends
       */
      expires_at?: string | null;
      /**
       * Kind
       * @enum {string}
       */
      kind: "session" | "token";
      /**
       * Name
       * @description The username, or the token's name
       */
      name: string;
      role: components["schemas"]["Role"];
    };
    /**
     * MetricsPayload
     * @description Host metrics; the disk_* fields describe the root filesystem, kept for older clients.
     */
    MetricsPayload: {
      /**
       * Cpu Percent
       * @default null
       */
      cpu_percent: number | null;
      /**
       * Disk Percent
       * @default null
       */
      disk_percent: number | null;
      /**
       * Disk Total Gb
       * @default null
       */
      disk_total_gb: number | null;
      /**
       * Disk Used Gb
       * @default null
       */
      disk_used_gb: number | null;
      /**
       * Load 1M
       * @default null
       */
      load_1m: number | null;
      /**
       * Load 5M
       * @default null
       */
      load_5m: number | null;
      /**
       * Load 15M
       * @default null
       */
      load_15m: number | null;
      /**
       * Memory Percent
       * @default null
       */
      memory_percent: number | null;
      /**
       * Memory Total Mb
       * @default null
       */
      memory_total_mb: number | null;
      /**
       * Memory Used Mb
       * @default null
       */
      memory_used_mb: number | null;
      /**
       * Network Rx Bytes
       * @default null
       */
      network_rx_bytes: number | null;
      /**
       * Network Tx Bytes
       * @default null
       */
      network_tx_bytes: number | null;
      /**
       * Uptime Seconds
       * @default null
       */
      uptime_seconds: number | null;
    };
    /**
     * MountLevels
     * @description The levels in force for one filesystem of the server, and the mount rule behind them.
     */
    MountLevels: {
      effective: components["schemas"]["EffectiveLevels"];
      /** Mount Point */
      mount_point: string;
      /**
       * Rule
       * @description The pattern of the mount rule that applies, if any
       */
      rule: string | null;
    };
    /**
     * MountMode
     * @enum {string}
     */
    MountMode: "default" | "expected_full" | "ignore";
    /** MountSettingList */
    MountSettingList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["AlertSettingsRead"][];
      /**
       * Mounts
       * @description Each filesystem of the latest heartbeat
       */
      mounts: components["schemas"]["MountLevels"][];
    };
    /** MountSettingUpdate */
    MountSettingUpdate: {
      /** Crit Days */
      crit_days?: number | null;
      /**
       * Crit Free Bytes
       * @description Null: size-aware default
       */
      crit_free_bytes?: number | null;
      /** Crit Percent */
      crit_percent?: number | null;
      /** Inodes Crit Percent */
      inodes_crit_percent?: number | null;
      /** Inodes Warn Percent */
      inodes_warn_percent?: number | null;
      mode?: components["schemas"]["MountMode"] | null;
      /**
       * Mount Point
       * @description A mount point, or a shell glob like /mnt/*
       */
      mount_point: string;
      /** Warn Days */
      warn_days?: number | null;
      /**
       * Warn Free Bytes
       * @description Null: size-aware default
       */
      warn_free_bytes?: number | null;
      /** Warn Percent */
      warn_percent?: number | null;
    };
    /** NvmeHealthWire */
    NvmeHealthWire: {
      /**
       * Available Spare Percent
       * @default null
       */
      available_spare_percent: number | null;
      /**
       * Available Spare Threshold Percent
       * @default null
       */
      available_spare_threshold_percent: number | null;
      /**
       * Critical Warning
       * @default 0
       */
      critical_warning: number;
      /** Critical Warnings */
      critical_warnings?: string[];
      /**
       * Data Read Bytes
       * @default null
       */
      data_read_bytes: number | null;
      /**
       * Data Written Bytes
       * @default null
       */
      data_written_bytes: number | null;
      /**
       * Error Log Entries
       * @default null
       */
      error_log_entries: number | null;
      /**
       * Media Errors
       * @default null
       */
      media_errors: number | null;
      /**
       * Power Cycles
       * @default null
       */
      power_cycles: number | null;
      /**
       * Unsafe Shutdowns
       * @default null
       */
      unsafe_shutdowns: number | null;
      /**
       * Used Percent
       * @default null
       */
      used_percent: number | null;
    };
    /** OSInfo */
    OSInfo: {
      /**
       * Architecture
       * @example x86_64
       */
      architecture?: string | null;
      /**
       * Distribution
       * @example Debian GNU/Linux
       */
      distribution?: string | null;
      /**
       * Kernel
       * @example 6.1.0-18-amd64
       */
      kernel?: string | null;
      /**
       * Version
       * @example 12
       */
      version?: string | null;
    };
    /**
     * PlainHttpServers
     * @description Servers whose latest heartbeat came unencrypted from another machine.
     */
    PlainHttpServers: {
      /**
       * Servers
       * @description Since the hub started; a heartbeat over https (or from loopback) clears one
       */
      servers: components["schemas"]["SeenServer"][];
    };
    /** PoolDeviceWire */
    PoolDeviceWire: {
      /**
       * Checksum Errors
       * @default null
       */
      checksum_errors: number | null;
      /** Children */
      children?: components["schemas"]["PoolDeviceWire"][];
      /**
       * Corruption Errors
       * @default null
       */
      corruption_errors: number | null;
      /**
       * Flush Errors
       * @default null
       */
      flush_errors: number | null;
      /**
       * Generation Errors
       * @default null
       */
      generation_errors: number | null;
      /**
       * Kind
       * @default null
       */
      kind: string | null;
      /** Name */
      name: string;
      /**
       * Note
       * @default null
       */
      note: string | null;
      /**
       * Path
       * @default null
       */
      path: string | null;
      /**
       * Read Errors
       * @default null
       */
      read_errors: number | null;
      /**
       * State
       * @default null
       */
      state: string | null;
      /**
       * Write Errors
       * @default null
       */
      write_errors: number | null;
    };
    /**
     * PoolHealth
     * @enum {string}
     */
    PoolHealth: "ok" | "warning" | "critical" | "unknown";
    /**
     * PoolRead
     * @description One pool or array of a server: its state, health with reasons, and what the agent sent.
     */
    PoolRead: {
      /** Degraded Since */
      degraded_since: string | null;
      /**
       * Detail
       * @description The agent's entry as sent (ADR 0004)
       */
      detail: {
        [key: string]: unknown;
      };
      /**
       * First Seen At
       * Format: date-time
       */
      first_seen_at: string;
      health: components["schemas"]["PoolHealth"];
      /** Kind */
      kind: string;
      /** Last Scrub At */
      last_scrub_at: string | null;
      /** Name */
      name: string;
      /**
       * Read At
       * Format: date-time
       */
      read_at: string;
      /** Reasons */
      reasons: string[];
      /** State */
      state: string;
    };
    /**
     * PoolReport
     * @description One ZFS pool, md array or btrfs filesystem as the agent read it (ADR 0004).
     */
    PoolReport: {
      /**
       * Action
       * @default null
       */
      action: string | null;
      /**
       * Active Devices
       * @default null
       */
      active_devices: number | null;
      /**
       * Allocated Bytes
       * @default null
       */
      allocated_bytes: number | null;
      /**
       * Data Errors
       * @default null
       */
      data_errors: number | null;
      /**
       * Degraded
       * @default null
       */
      degraded: boolean | null;
      /** Devices */
      devices?: components["schemas"]["PoolDeviceWire"][];
      /**
       * Errors
       * @default null
       */
      errors: string | null;
      /**
       * Free Bytes
       * @default null
       */
      free_bytes: number | null;
      /**
       * Kind
       * @enum {string}
       */
      kind: "zfs" | "md" | "btrfs";
      /**
       * Label
       * @default null
       */
      label: string | null;
      /**
       * Level
       * @default null
       */
      level: string | null;
      /**
       * Mismatch Count
       * @default null
       */
      mismatch_count: number | null;
      /**
       * Mount Point
       * @default null
       */
      mount_point: string | null;
      /** Name */
      name: string;
      /**
       * Raid Devices
       * @default null
       */
      raid_devices: number | null;
      /** @default null */
      scan: components["schemas"]["PoolScanWire"] | null;
      /**
       * Size Bytes
       * @default null
       */
      size_bytes: number | null;
      /**
       * Source
       * @default
       */
      source: string;
      /** State */
      state: string;
      /**
       * Status
       * @default null
       */
      status: string | null;
      /**
       * Sync Action
       * @default null
       */
      sync_action: string | null;
      /**
       * Sync Progress Percent
       * @default null
       */
      sync_progress_percent: number | null;
      /**
       * Uuid
       * @default null
       */
      uuid: string | null;
    };
    /** PoolScanWire */
    PoolScanWire: {
      /**
       * Ended At
       * @default null
       */
      ended_at: string | null;
      /**
       * Errors
       * @default null
       */
      errors: number | null;
      /**
       * Examined Bytes
       * @default null
       */
      examined_bytes: number | null;
      /** Function */
      function: string;
      /**
       * Progress Percent
       * @default null
       */
      progress_percent: number | null;
      /**
       * Repaired Bytes
       * @default null
       */
      repaired_bytes: number | null;
      /**
       * Started At
       * @default null
       */
      started_at: string | null;
      /** State */
      state: string;
      /**
       * To Examine Bytes
       * @default null
       */
      to_examine_bytes: number | null;
    };
    /**
     * ReportAlert
     * @description An alert still firing at the end of the week.
     */
    ReportAlert: {
      /** Acknowledged */
      acknowledged: boolean;
      /** Fired At */
      fired_at: string | null;
      /** Id */
      id: number;
      kind: components["schemas"]["AlertKind"];
      /** Message */
      message: string;
      /** Mount Point */
      mount_point: string | null;
      /** Server Id */
      server_id: string;
      /** Server Name */
      server_name: string;
      severity: components["schemas"]["Severity"];
    };
    /**
     * ReportAlerts
     * @description Alerts of the week: counts, and the ones still firing (worst and oldest first).
     */
    ReportAlerts: {
      /**
       * Acknowledged
       * @description Alerts acknowledged during the week
       */
      acknowledged: number;
      /**
       * Firing
       * @description Up to `limit` of the still-firing alerts
       */
      firing: components["schemas"]["ReportAlert"][];
      /**
       * Opened
       * @description Alerts that started firing during the week
       */
      opened: number;
      /**
       * Resolved
       * @description Alerts resolved during the week
       */
      resolved: number;
      /**
       * Still Firing
       * @description Alerts firing at the end of the week
       */
      still_firing: number;
    };
    /**
     * ReportDirectory
     * @description A directory that grew between two usage scans of its filesystem, the newer taken during
     *     the week.
     */
    ReportDirectory: {
      /** Bytes Now */
      bytes_now: number;
      /** Bytes Then */
      bytes_then: number;
      /** Change Bytes */
      change_bytes: number;
      /** Mount Point */
      mount_point: string;
      /** Path */
      path: string;
      /** Server Id */
      server_id: string;
      /** Server Name */
      server_name: string;
    };
    /**
     * ReportFilesystem
     * @description A filesystem that fills within the report's horizon, with its forecast as the fleet's
     *     reads give it (its capacity domain's date where that comes first).
     */
    ReportFilesystem: {
      /** Available Bytes */
      available_bytes: number;
      /**
       * Confident
       * @description True when full_at rests on at least 3 days of history (or 3 cycle peaks) and its range is no wider than the time left until it; alerts act on confident forecasts only
       * @default false
       */
      confident: boolean;
      /** Days Until Full */
      days_until_full?: number | null;
      /**
       * Fill Domain
       * @description With fill_source 'domain': the key of that domain ('zfs:tank')
       */
      fill_domain?: string | null;
      /**
       * Fill Domain Label
       * @description With fill_source 'domain': the domain in words ('pool tank')
       */
      fill_domain_label?: string | null;
      /** @description 'own' when full_at follows the filesystem's own growth, 'domain' when it is the date of the capacity domain it shares with other mounts, which fills first; null without a date */
      fill_source?: components["schemas"]["FillSource"] | null;
      /** @description What full_at follows: the level's trend, a regular daily peak, or the peaks of cleanups that recur on a schedule; null before a forecast exists */
      forecast_basis?: components["schemas"]["ForecastBasis"] | null;
      /**
       * Forecast Reason
       * @description Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned weekly; peaks at 78 %', 'not growing', 'under a day of history'
       */
      forecast_reason?: string | null;
      /**
       * Full At
       * @description Estimated instant the filesystem fills
       */
      full_at?: string | null;
      /**
       * Full At Earliest
       * @description Earliest plausible fill instant (90 % range); null when full_at is
       */
      full_at_earliest?: string | null;
      /**
       * Full At Latest
       * @description Latest plausible fill instant (90 % range); null when full_at is, or when it may not fill within ten years
       */
      full_at_latest?: string | null;
      /**
       * Growth Bytes Per Day
       * @description Robust growth rate of used bytes (of the cycle peaks when the forecast follows a peak or prune cycle); null with under a day of history
       */
      growth_bytes_per_day?: number | null;
      /** Mount Point */
      mount_point: string;
      /**
       * Own Full At
       * @description When the filesystem's own growth alone would fill it; equal to full_at unless fill_source is 'domain'
       */
      own_full_at?: string | null;
      /**
       * Peak Headroom Bytes
       * @description Bytes left at the top of the peak or prune cycle, as of now
       */
      peak_headroom_bytes?: number | null;
      /** Percent */
      percent: number | null;
      /** Server Id */
      server_id: string;
      /**
       * Server Name
       * @description The server's display name, else its hostname
       */
      server_name: string;
      /** Total Bytes */
      total_bytes: number;
      /** Used Bytes */
      used_bytes: number;
    };
    /**
     * ReportGrower
     * @description A filesystem whose used bytes grew over the week, from its hourly history.
     */
    ReportGrower: {
      /**
       * Bytes Now
       * @description Used bytes in the latest heartbeat
       */
      bytes_now: number;
      /**
       * Bytes Then
       * @description Used bytes in that hour (its average)
       */
      bytes_then: number;
      /** Change Bytes */
      change_bytes: number;
      /** Mount Point */
      mount_point: string;
      /** Server Id */
      server_id: string;
      /** Server Name */
      server_name: string;
      /**
       * Since
       * Format: date-time
       * @description The first hour of the week the hub holds for it
       */
      since: string;
    };
    /**
     * ReportHealthEvent
     * @description A drive or pool alert that began or ended during the week.
     */
    ReportHealthEvent: {
      kind: components["schemas"]["AlertKind"];
      /** Message */
      message: string;
      /**
       * Resolved At
       * @description Null while it is still open
       */
      resolved_at: string | null;
      severity: components["schemas"]["Severity"];
      /**
       * Started At
       * Format: date-time
       */
      started_at: string;
    };
    /**
     * ReportQueued
     * @description The report was queued for delivery through the outbox (retried until delivered).
     */
    ReportQueued: {
      /**
       * Channels
       * @description Channels the report was queued for
       */
      channels: number;
    };
    /**
     * ReportStorageChange
     * @description A drive or pool whose health changed during the week: its alerts that began or ended.
     */
    ReportStorageChange: {
      /** Events */
      events: components["schemas"]["ReportHealthEvent"][];
      /**
       * Health
       * @description Its health now (passed/warning/failed/… for drives, ok/warning/critical for pools); null once it is no longer reported
       */
      health: string | null;
      /**
       * Key
       * @description The alert subject: 'drive:wwn:0x…' or 'zfs:tank'
       */
      key: string;
      /**
       * Name
       * @description The drive's device name or the pool's name
       */
      name: string;
      /**
       * Reasons
       * @description Why it has that health now
       */
      reasons: string[];
      /** Server Id */
      server_id: string;
      /** Server Name */
      server_name: string;
      /**
       * Subject
       * @description 'drive' or 'pool'
       */
      subject: string;
    };
    /**
     * RequestedBy
     * @description Who asked: the hub, for a filesystem whose fill date came near, or a person.
     * @enum {string}
     */
    RequestedBy: "forecast" | "person";
    /**
     * Resolution
     * @enum {string}
     */
    Resolution: "raw" | "hourly" | "daily";
    /**
     * Role
     * @description What a credential may do: `admin` everything, `read` GET only, `agent` its heartbeats.
     * @enum {string}
     */
    Role: "admin" | "read" | "agent";
    /** ScsiHealthWire */
    ScsiHealthWire: {
      /**
       * Grown Defects
       * @default null
       */
      grown_defects: number | null;
      /**
       * Uncorrected Read Errors
       * @default null
       */
      uncorrected_read_errors: number | null;
      /**
       * Uncorrected Verify Errors
       * @default null
       */
      uncorrected_verify_errors: number | null;
      /**
       * Uncorrected Write Errors
       * @default null
       */
      uncorrected_write_errors: number | null;
    };
    /** SeenServer */
    SeenServer: {
      /**
       * Last Heartbeat At
       * Format: date-time
       */
      last_heartbeat_at: string;
      /** Server Id */
      server_id: string;
    };
    /** ServerList */
    ServerList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["ServerSummary"][];
      /** @description Storage of the fleet, each domain once */
      totals?: components["schemas"]["CapacityTotals"];
    };
    /**
     * ServerMetricPoint
     * @description A raw sample, or an aggregate bucket (then *_min/*_max are set).
     */
    ServerMetricPoint: {
      /** Cpu Percent */
      cpu_percent: number | null;
      /** Cpu Percent Max */
      cpu_percent_max?: number | null;
      /** Cpu Percent Min */
      cpu_percent_min?: number | null;
      /** Load 1M */
      load_1m: number | null;
      /** Load 1M Max */
      load_1m_max?: number | null;
      /** Load 1M Min */
      load_1m_min?: number | null;
      /** Load 5M */
      load_5m: number | null;
      /** Load 15M */
      load_15m: number | null;
      /** Memory Percent */
      memory_percent: number | null;
      /** Memory Percent Max */
      memory_percent_max?: number | null;
      /** Memory Percent Min */
      memory_percent_min?: number | null;
      /** Network Rx Bytes */
      network_rx_bytes: number | null;
      /** Network Tx Bytes */
      network_tx_bytes: number | null;
      /**
       * Sample Count
       * @default 1
       */
      sample_count: number;
      /**
       * Timestamp
       * Format: date-time
       */
      timestamp: string;
    };
    /** ServerMetricsHistory */
    ServerMetricsHistory: {
      /**
       * End At
       * Format: date-time
       */
      end_at: string;
      /** Points */
      points: components["schemas"]["ServerMetricPoint"][];
      range: components["schemas"]["HistoryRange"];
      resolution: components["schemas"]["Resolution"];
      /** Server Id */
      server_id: string;
      /**
       * Start At
       * Format: date-time
       */
      start_at: string;
      /**
       * Step Seconds
       * @description Width of each point's bucket
       */
      step_seconds: number;
    };
    /**
     * ServerRead
     * @description One server: its latest metrics and filesystems with their trends; null before any data.
     */
    ServerRead: {
      /** Agent Version */
      agent_version: string | null;
      /**
       * Budget Warning
       * @description The last per-host budget the server went over, in words, naming the setting (heartbeat rate, age, domain depth, filesystems, open alerts); null when none
       */
      budget_warning?: string | null;
      /**
       * Budget Warning At
       * @description When the hub last recorded budget_warning (at most once a minute)
       */
      budget_warning_at?: string | null;
      /**
       * Capacity Domains
       * @description The storage the filesystems draw on, each pool or device once; for agents that do not report domains, one per filesystem (kind `filesystem`)
       */
      capacity_domains?: components["schemas"]["CapacityDomainRead"][] | null;
      /**
       * Collector Errors
       * @description Collectors that failed in the newest heartbeat, with the agent's reason
       */
      collector_errors?: {
        [key: string]: string;
      } | null;
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Display Name */
      display_name: string | null;
      /**
       * Drives
       * @description The server's drives with their health, worst first
       */
      drives?: components["schemas"]["DriveRead"][];
      /** Filesystems */
      filesystems: components["schemas"]["FilesystemRead"][] | null;
      /** Hostname */
      hostname: string;
      /** Id */
      id: string;
      /** Last Seen At */
      last_seen_at: string | null;
      /** Latest Heartbeat At */
      latest_heartbeat_at: string | null;
      latest_metrics: components["schemas"]["LatestMetrics"] | null;
      os_info: components["schemas"]["OSInfo"] | null;
      /**
       * Pools
       * @description ZFS pools, md arrays and btrfs filesystems with their health, worst first
       */
      pools?: components["schemas"]["PoolRead"][];
      status: components["schemas"]["ServerStatus"];
      /**
       * Vanished Filesystems
       * @description Filesystems reported before and missing from the latest heartbeat, until dismissed
       */
      vanished_filesystems?: components["schemas"]["VanishedFilesystem"][];
    };
    /**
     * ServerStatus
     * @enum {string}
     */
    ServerStatus: "online" | "offline";
    /**
     * ServerSummary
     * @description One card of the fleet view.
     */
    ServerSummary: {
      /** Agent Version */
      agent_version: string | null;
      /**
       * Budget Warning
       * @description The last per-host budget the server went over, in words, naming the setting (heartbeat rate, age, domain depth, filesystems, open alerts); null when none
       */
      budget_warning?: string | null;
      /**
       * Budget Warning At
       * @description When the hub last recorded budget_warning (at most once a minute)
       */
      budget_warning_at?: string | null;
      /** @description Storage of the server, each domain once */
      capacity?: components["schemas"]["CapacityTotals"];
      /**
       * Collector Errors
       * @description Collectors that failed in the newest heartbeat, with the agent's reason
       */
      collector_errors?: {
        [key: string]: string;
      } | null;
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Display Name */
      display_name: string | null;
      /** Filesystem Count */
      filesystem_count: number;
      fullest_filesystem: components["schemas"]["FullestFilesystem"] | null;
      /** Hostname */
      hostname: string;
      /** Id */
      id: string;
      /** Last Seen At */
      last_seen_at: string | null;
      /** Latest Heartbeat At */
      latest_heartbeat_at: string | null;
      latest_metrics: components["schemas"]["LatestMetrics"] | null;
      /**
       * Missing Filesystem Count
       * @description Expected mounts that are not mounted (state missing)
       * @default 0
       */
      missing_filesystem_count: number;
      os_info: components["schemas"]["OSInfo"] | null;
      /** @description The filesystem with the nearest forecast fill date; null when none fills */
      soonest_full_filesystem?:
        components["schemas"]["FullestFilesystem"] | null;
      status: components["schemas"]["ServerStatus"];
      /**
       * Vanished Filesystem Count
       * @description Filesystems the server stopped reporting, not dismissed
       * @default 0
       */
      vanished_filesystem_count: number;
    };
    /** ServerUpdate */
    ServerUpdate: {
      /**
       * Display Name
       * @description Name shown in the UI; null returns to the hostname
       */
      display_name?: string | null;
    };
    /** SetupRequest */
    SetupRequest: {
      /** Password */
      password: string;
      /**
       * Token
       * @description From the hub's setup link
       */
      token: string;
      /** Username */
      username: string;
    };
    /**
     * Severity
     * @enum {string}
     */
    Severity: "warning" | "critical";
    /** SilenceCreate */
    SilenceCreate: {
      /** Comment */
      comment?: string | null;
      /**
       * Ends At
       * Format: date-time
       * @description When messages resume (timezone required)
       */
      ends_at: string;
      /**
       * Mount Pattern
       * @description A mount point or shell glob; null silences the whole server
       */
      mount_pattern?: string | null;
      /** Server Id */
      server_id: string;
    };
    /** SilenceList */
    SilenceList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["SilenceRead"][];
    };
    /** SilenceRead */
    SilenceRead: {
      /** Comment */
      comment: string | null;
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Created By */
      created_by: string;
      /**
       * Ends At
       * Format: date-time
       */
      ends_at: string;
      /** Id */
      id: number;
      /** Mount Pattern */
      mount_pattern: string | null;
      /** Server Id */
      server_id: string;
    };
    /**
     * StoppedBy
     * @description Which budget stopped a scan early (its result is partial).
     * @enum {string}
     */
    StoppedBy: "time" | "entries";
    /** TokenCreate */
    TokenCreate: {
      /**
       * Name
       * @description What the token is for, e.g. 'grafana'
       */
      name: string;
      /** @default read */
      role: components["schemas"]["TokenRole"];
    };
    /** TokenCreated */
    TokenCreated: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Id */
      id: number;
      /** Name */
      name: string;
      role: components["schemas"]["Role"];
      /**
       * Server Id
       * @description The server an agent token reports for
       */
      server_id?: string | null;
      /**
       * Token
       * @description The secret; shown only now, store it safely
       */
      token: string;
    };
    /** TokenList */
    TokenList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["TokenRead"][];
    };
    /** TokenRead */
    TokenRead: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Id */
      id: number;
      /** Name */
      name: string;
      role: components["schemas"]["Role"];
      /**
       * Server Id
       * @description The server an agent token reports for
       */
      server_id?: string | null;
    };
    /**
     * TokenRole
     * @description Roles a person may give a token; agent tokens come from enrollment only.
     * @enum {string}
     */
    TokenRole: "read" | "admin";
    /**
     * UsageDirectory
     * @description One directory of a scan: its whole subtree, and the part not in any listed child.
     */
    UsageDirectory: {
      /**
       * Bytes
       * @description Allocated bytes of the whole subtree
       */
      bytes: number;
      /**
       * Other Bytes
       * @description The part of `bytes` in no listed child: the directory's own files and the children not kept
       */
      other_bytes: number;
      /**
       * Path
       * @example /srv/frigate/recordings
       */
      path: string;
    };
    /**
     * UsageGrowth
     * @description How one directory changed between the previous scan and the latest.
     */
    UsageGrowth: {
      /** Bytes Now */
      bytes_now: number;
      /** Bytes Then */
      bytes_then: number;
      /**
       * Change
       * @description bytes_now - bytes_then; negative when it shrank
       */
      change: number;
      /** Path */
      path: string;
    };
    /**
     * UsageScanCreate
     * @description Ask for a scan of one filesystem of the server's latest snapshot.
     */
    UsageScanCreate: {
      /**
       * Mount Point
       * @example /srv
       */
      mount_point: string;
    };
    /**
     * UsageScanHead
     * @description A scan without its tree.
     */
    UsageScanHead: {
      /** Duration Seconds */
      duration_seconds: number;
      /** Entries */
      entries: number;
      /** Error */
      error: string | null;
      /**
       * Links Over Budget
       * @description Hard-linked files the agent may have counted twice (see growth_basis)
       * @default 0
       */
      links_over_budget: number;
      /**
       * Started At
       * Format: date-time
       */
      started_at: string;
      stopped_by: components["schemas"]["StoppedBy"] | null;
      /**
       * Taken At
       * Format: date-time
       * @description The timestamp of the heartbeat that brought the scan's result (the agent's clock, checked against the hub's)
       */
      taken_at: string;
      /** Total Bytes */
      total_bytes: number;
      /** Unreadable */
      unreadable: number;
    };
    /**
     * UsageScanOrder
     * @description A scan the hub asks an agent for, in its answer to a heartbeat.
     */
    UsageScanOrder: {
      /**
       * Id
       * @example 9f2c0d4be1a07f63
       */
      id: string;
      /**
       * Mount Point
       * @example /srv
       */
      mount_point: string;
    };
    /**
     * UsageScanProgress
     * @description An open request with the agent's progress (null until the agent says it started).
     */
    UsageScanProgress: {
      /** Entries */
      entries?: number | null;
      /** Id */
      id: string;
      /** Mount Point */
      mount_point: string;
      /**
       * Requested At
       * Format: date-time
       */
      requested_at: string;
      requested_by: components["schemas"]["RequestedBy"];
      /** Started At */
      started_at?: string | null;
      state: components["schemas"]["UsageScanState"];
    };
    /**
     * UsageScanRead
     * @description A scan with its tree: root first, parents before children.
     */
    UsageScanRead: {
      /** Directories */
      directories: components["schemas"]["UsageDirectory"][];
      /** Duration Seconds */
      duration_seconds: number;
      /** Entries */
      entries: number;
      /** Error */
      error: string | null;
      /**
       * Links Over Budget
       * @description Hard-linked files the agent may have counted twice (see growth_basis)
       * @default 0
       */
      links_over_budget: number;
      /**
       * Started At
       * Format: date-time
       */
      started_at: string;
      stopped_by: components["schemas"]["StoppedBy"] | null;
      /**
       * Taken At
       * Format: date-time
       * @description The timestamp of the heartbeat that brought the scan's result (the agent's clock, checked against the hub's)
       */
      taken_at: string;
      /** Total Bytes */
      total_bytes: number;
      /** Unreadable */
      unreadable: number;
    };
    /**
     * UsageScanReport
     * @description One finished (or refused) scan, sent in a heartbeat after it ran (ADR 0005).
     */
    UsageScanReport: {
      /**
       * Directories
       * @description Root first, parents before children, at most 4 levels below the mount point (a deeper directory is a 422)
       */
      directories?: components["schemas"]["UsageDirectory"][];
      /** Duration Seconds */
      duration_seconds: number;
      /**
       * Entries
       * @description Directory entries examined
       */
      entries: number;
      /**
       * Error
       * @description Why the scan could not run at all; directories are then empty
       * @default null
       */
      error: string | null;
      /**
       * Links Over Budget
       * @description Hard-linked files counted at each link, past the agent's budget for remembering them: sizes may be too large (0 for older agents)
       * @default 0
       */
      links_over_budget: number;
      /**
       * Mount Point
       * @example /srv
       */
      mount_point: string;
      /**
       * Request Id
       * @description The hub's request this answers; null for a scan nobody asked for
       * @default null
       */
      request_id: string | null;
      /**
       * Started At
       * Format: date-time
       */
      started_at: string;
      /**
       * @description Null: complete; otherwise the budget that stopped it (partial)
       * @default null
       */
      stopped_by: components["schemas"]["StoppedBy"] | null;
      /**
       * Total Bytes
       * @default 0
       */
      total_bytes: number;
      /**
       * Unreadable
       * @description Directories that could not be read
       * @default 0
       */
      unreadable: number;
    };
    /**
     * UsageScanRequest
     * @description A scan the hub asked for, and where it stands.
     */
    UsageScanRequest: {
      /** Id */
      id: string;
      /** Mount Point */
      mount_point: string;
      /**
       * Requested At
       * Format: date-time
       */
      requested_at: string;
      requested_by: components["schemas"]["RequestedBy"];
      state: components["schemas"]["UsageScanState"];
    };
    /**
     * UsageScanRunning
     * @description The scan in progress, for the progress shown while it runs.
     */
    UsageScanRunning: {
      /**
       * Entries
       * @default 0
       */
      entries: number;
      /** Mount Point */
      mount_point: string;
      /**
       * Request Id
       * @default null
       */
      request_id: string | null;
      /**
       * Started At
       * Format: date-time
       */
      started_at: string;
    };
    /**
     * UsageScanState
     * @description Where a scan request stands: open while pending or running.
     * @enum {string}
     */
    UsageScanState: "pending" | "running" | "done" | "failed" | "expired";
    /**
     * UsageScanSummary
     * @description A kept scan, in the list of scans.
     */
    UsageScanSummary: {
      /** Duration Seconds */
      duration_seconds: number;
      /** Entries */
      entries: number;
      /** Error */
      error: string | null;
      /**
       * Links Over Budget
       * @description Hard-linked files the agent may have counted twice (see growth_basis)
       * @default 0
       */
      links_over_budget: number;
      stopped_by: components["schemas"]["StoppedBy"] | null;
      /**
       * Taken At
       * Format: date-time
       * @description The timestamp of the heartbeat that brought the scan's result (the agent's clock, checked against the hub's)
       */
      taken_at: string;
    };
    /** UserCreate */
    UserCreate: {
      /** Password */
      password: string;
      /** @default read */
      role: components["schemas"]["UserRole"];
      /** Username */
      username: string;
    };
    /** UserList */
    UserList: {
      /** Count */
      count: number;
      /** Data */
      data: components["schemas"]["UserRead"][];
    };
    /** UserRead */
    UserRead: {
      /**
       * Created At
       * Format: date-time
       */
      created_at: string;
      /** Id */
      id: number;
      /**
       * Password Changed At
       * Format: date-time
       */
      password_changed_at: string;
      role: components["schemas"]["UserRole"];
      /** Username */
      username: string;
    };
    /**
     * UserRole
     * @description What a person may do: `admin` everything, `read` see everything and change nothing.
     * @enum {string}
     */
    UserRole: "read" | "admin";
    /**
     * UserUpdate
     * @description Either or both; a new role or password signs the account's sessions out.
     */
    UserUpdate: {
      /** Password */
      password?: string | null;
      role?: components["schemas"]["UserRole"] | null;
    };
    /** ValidationError */
    ValidationError: {
      /** Context */
      ctx?: Record<string, never>;
      /** Input */
      input?: unknown;
      /** Location */
      loc: (string | number)[];
      /** Message */
      msg: string;
      /** Error Type */
      type: string;
    };
    /**
     * VanishedFilesystem
     * @description A filesystem the server reported before and no longer does; its history is kept.
     */
    VanishedFilesystem: {
      /** Device */
      device: string;
      /**
       * First Seen At
       * Format: date-time
       */
      first_seen_at: string;
      /** Fs Type */
      fs_type: string;
      /**
       * Missing Since
       * Format: date-time
       * @description The last heartbeat that reported it: it has been missing since
       */
      missing_since: string;
      /** Mount Point */
      mount_point: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  "enrollment-enroll": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EnrollRequest"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EnrollResponse"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The enrollment code is unknown, used or expired */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The host is already another server than the one the code is for; The hub holds as many servers as it is allowed to; this one is not registered */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description Too many attempts (sign-ins, enrollments); retry after Retry-After seconds */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "agents-post_heartbeat": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["HeartbeatRequest"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HeartbeatResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The hub holds as many servers as it is allowed to; this one is not registered */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Request body over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Heartbeat timestamp is ahead of the hub clock; Heartbeat timestamp is further back than the hub keeps heartbeats from; Capacity domains nest deeper than the hub accepts */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The server sent more heartbeats than its budget; retry after Retry-After seconds */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The hub could not store the data right now; retry after Retry-After seconds */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "enrollment-plain_http_servers": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PlainHttpServers"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "alert-settings-read_global_settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertSettingsRead"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "alert-settings-put_global_settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertLevels"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertSettingsRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description A warning level past its critical level */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "alerts-list_alerts": {
    parameters: {
      query?: {
        limit?: number;
        server_id?: string | null;
        state?: components["schemas"]["AlertFilter"];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alerts-acknowledge_alert": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        alert_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRead"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No alert with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "audit-list_events": {
    parameters: {
      query?: {
        before_id?: number | null;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditEventList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "auth-login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LoginRequest"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Me"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Wrong username or password */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
      /** @description Too many attempts (sign-ins, enrollments); retry after Retry-After seconds */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Too many password checks at once; retry after Retry-After seconds */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "auth-logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  "auth-me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Me"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "auth-browser_session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["BrowserSession"];
        };
      };
    };
  };
  "auth-setup": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SetupRequest"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Me"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The setup link is used, expired or wrong; sign in or use the CLI instead; The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description An account with this username exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The username or password does not meet the rules */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Too many password checks at once; retry after Retry-After seconds */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "drives-list_drives": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DriveList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "enrollment-create_enrollment": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["EnrollmentCreate"] | null;
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EnrollmentCode"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "enrollment-legacy_key_status": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["LegacyKeyStatus"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "enrollment-disable_legacy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "notification-channels-list_channels": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChannelList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "notification-channels-create_channel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ChannelCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChannelRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Not an Apprise URL this hub can send to */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "notification-channels-delete_channel": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        channel_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No notification channel with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "notification-channels-update_channel": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        channel_id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ChannelUpdate"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChannelRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No notification channel with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Not an Apprise URL this hub can send to */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "notification-channels-test_channel": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        channel_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChannelTestResult"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No notification channel with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "reports-read_capacity_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CapacityReport"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "reports-send_capacity_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ReportQueued"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No notification channel is configured or switched on to send this to */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "servers-list_servers": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ServerList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "servers-get_server": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ServerRead"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "servers-delete_server": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "servers-update_server": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ServerUpdate"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ServerRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alert-settings-read_server_settings": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertSettingsRead"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alert-settings-put_server_settings": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertLevels"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertSettingsRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description A warning level past its critical level */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "drives-drive_history": {
    parameters: {
      query?: {
        /** @description How far back: raw readings up to 90d (the hourly retention), days beyond */
        range?: components["schemas"]["HistoryRange"];
      };
      header?: never;
      path: {
        drive_id: number;
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DriveHistory"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id; The server has no drive with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "servers-dismiss_vanished_filesystem": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["DismissFilesystem"];
      };
    };
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id; The server has no filesystem at this mount point */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The filesystem is in the server's latest heartbeat; only a vanished one is dismissed */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "metrics-get_filesystem_metrics": {
    parameters: {
      query?: {
        /** @description One filesystem; without it, every filesystem's series */
        mount_point?: string | null;
        /** @description Skip this many series (see next_offset) */
        offset?: number;
        /** @description How far back; the hub picks the tier */
        range?: components["schemas"]["HistoryRange"];
      };
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FilesystemMetricsHistory"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The server has no filesystem at this mount point */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alert-settings-list_mount_settings": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MountSettingList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alert-settings-put_mount_settings": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["MountSettingUpdate"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertSettingsRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "alert-settings-delete_mount_settings": {
    parameters: {
      query: {
        mount_point: string;
      };
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id; No alert setting for this mount pattern */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "usage-get_filesystem_usage": {
    parameters: {
      query: {
        mount_point: string;
      };
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FilesystemUsage"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "usage-request_usage_scan": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UsageScanCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UsageScanRequest"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The server has no filesystem at this mount point */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The agent reports the filesystem as unreachable or missing: a scan would hang */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "metrics-get_server_metrics": {
    parameters: {
      query?: {
        /** @description How far back; the hub picks the tier */
        range?: components["schemas"]["HistoryRange"];
      };
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ServerMetricsHistory"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "enrollment-rotate_server_token": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        server_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EnrollmentCode"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "silences-list_silences": {
    parameters: {
      query?: {
        include_ended?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SilenceList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "silences-create_silence": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SilenceCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SilenceRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No server with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description A silence that would end before it starts */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "silences-delete_silence": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        silence_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No silence with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "system-health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
    };
  };
  "tokens-list_tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TokenList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "tokens-create_token": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["TokenCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TokenCreated"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "tokens-revoke_token": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No valid token with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "users-list_users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserList"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "users-create_user": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UserCreate"];
      };
    };
    responses: {
      /** @description Successful Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description An account with this username exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The username or password does not meet the rules */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Too many password checks at once; retry after Retry-After seconds */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "users-delete_user": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No account with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The hub's last admin account cannot be demoted or deleted */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "users-update_user": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UserUpdate"];
      };
    };
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserRead"];
        };
      };
      /** @description The body could not be read as JSON text */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description No account with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The hub's last admin account cannot be demoted or deleted */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The username or password does not meet the rules */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Too many password checks at once; retry after Retry-After seconds */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "enrollment-install_sh": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/plain": string;
        };
      };
      /** @description The hub has no agent wheel to hand out */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/plain": components["schemas"]["ErrorResponse"];
        };
      };
    };
  };
  "enrollment-install_file": {
    parameters: {
      query?: never;
      header?: never;
      path: {
        filename: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The hub has no agent wheel to hand out */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
  "prometheus-get_metrics": {
    parameters: {
      query?: never;
      header?: {
        accept?: string | null;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/openmetrics-text": string;
          "text/plain": string;
        };
      };
      /** @description No credential, or an unknown or revoked one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description The credential's role does not allow this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ErrorResponse"];
        };
      };
      /** @description Validation Error */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["HTTPValidationError"];
        };
      };
    };
  };
}
