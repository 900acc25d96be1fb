// Generated from the API's OpenAPI document by packages/dashboard/test/api-types.test.ts
// (UPDATE_API_TYPES=1 pnpm exec vitest run packages/dashboard): do not edit.
export interface paths {
    "/api/chargers/{serial}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A charger: its registration and the live state of both channels, with the last-seen of each */
        get: operations["getCharger"];
        /** Register a charger, or change its password or rules */
        put: operations["registerCharger"];
        post?: never;
        /** Forget a charger: it can no longer connect (its history is kept) */
        delete: operations["deleteCharger"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register many chargers: a JSON array of registrations, or CSV with columns serial,password */
        post: operations["importChargers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Registered chargers with their live state, in serial order, filtered, a page at a time
         * @description Each page does bounded work, so a rare filter can answer a short (even empty) page with a `next` cursor: follow `next` until it is absent.
         */
        get: operations["listChargers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/current-limit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Limit the charging current now, the right way for an Easee charger
         * @description Over the Easee stream (SetDynamicChargerCurrent: volatile, no flash wear) when the charger is on it, else with Easee's DynamicChargerCurrent configuration key over OCPP (no flash wear either), and only for a charger that does not take that key as a TxDefaultProfile, which spends the flash-write budget (409 when it is spent). Never above an installed ChargePointMaxProfile: the limit is clamped and `clamped` says so. Applied again after a plug-in or a reboot, which reset it on an Easee.
         */
        put: operations["setCurrentLimit"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/local-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the charger's local authorization list to these id tags (sent as a difference, Full when needed) */
        put: operations["setLocalList"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/charging-schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Installed profiles, the composite schedule by the OCPP rules and by Easee's, and what the charger reported */
        get: operations["getChargingSchedule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/commands/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A recent OCPP command and how it ended; for RemoteStartTransaction, the transaction it led to */
        get: operations["getOcppCommand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fleet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fleet counted: registered, connected over OCPP, by OCPP status of connector 1, by Easee op mode */
        get: operations["getFleet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's token: its name and scopes (what a client may offer) */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/id-tags/{idTag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An id tag (case-insensitive) */
        get: operations["getIdTag"];
        /** Create or replace an id tag; parentIdTag puts it in a group */
        put: operations["putIdTag"];
        post?: never;
        /** Delete an id tag: it is then answered Invalid */
        delete: operations["deleteIdTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/id-tags/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create or replace many id tags: CSV with columns idTag,status,expiryDate,parentIdTag, or a JSON array */
        post: operations["importIdTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/id-tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Id tags in order; with `parent`, the members of that group */
        get: operations["listIdTags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A site with its live allocation: per charger the current it may draw, sent, confirmed, drawn */
        get: operations["getSite"];
        /** Define a site: its fuse, its circuits and the chargers behind them (load management) */
        put: operations["putSite"];
        post?: never;
        /** Remove a site: its chargers are told they are on no site (their last allocation runs out with its TTL) */
        delete: operations["deleteSite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sites, in id order, with a cursor */
        get: operations["listSites"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/limit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** A temporary limit below the site's fuse (a grid operator's request), until a time or until lifted */
        put: operations["putSiteLimit"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/ocpp/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a central-system OCPP 1.6 CALL to a connected charger and return its CALLRESULT
         * @description The body is the OCPP request payload of the action, validated against the OCA 1.6 schema before it is sent.
         */
        post: operations["sendOcppCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/easee/{command}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an Easee command over the operator stream
         * @description The body holds the typed arguments by name, e.g. SetDynamicChargerCurrent `{ "current": 13, "ttlMinutes": 5 }`. Answers with the outcome once the command response arrives within `waitMs`, else 202 with the request id. Without a response in time the command is sent again, a bounded number of times, unless it expired.
         */
        post: operations["sendEaseeCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chargers/{serial}/easee/commands/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The outcome of an Easee command, or that it is still pending */
        get: operations["getEaseeCommand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Transactions in id order, filtered by charger, id tag and start time; format=csv streams them all
         * @description Energy from the OCPP meter values (`energyWh`) beside the Easee stream's own record of the session (`streamSession.energyWh`). As CSV the whole filtered set is streamed page by page, never held at once.
         */
        get: operations["listTransactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Fleet events as Server-Sent Events, resumable
         * @description Each event carries its sequence in the durable stream as its SSE id. A new stream starts with the events from now on; reconnect with `Last-Event-ID` (or `from`) to get every event after that sequence, stored ones first, without gaps (`from=0`: everything still kept). `type` takes a comma-separated list. Audit events are sent to admin tokens only. Each `data:` is a FleetEvent. Event types: connection, boot, status, transaction-started, transaction-updated, transaction-stopped, meter-values, firmware, diagnostics, security, data-transfer, command, stream-session-started, stream-session-stopped, audit, alert, current-limit, site-allocation (audit for admin tokens only).
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who sent which command, when, and what came of it; oldest first from `after` */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Operator tokens, without their secrets */
        get: operations["listTokens"];
        put?: never;
        /** Make an operator token with scopes (read, operate, admin); it is shown once, only its hash is kept */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an operator token */
        delete: operations["deleteToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Why a request was refused, in one line */
        Error: {
            /** @description Why, in one line */
            error: string;
            /** @description OCPP-J error code, for a payload that breaks its schema */
            code?: string;
            /** @description The Easee rule that refused the command (409) */
            rule?: string;
        };
        /** @description Per-charger overrides: turn the Easee rules off for a charger that is not an Easee, or allow TxProfile */
        Rules: {
            easee?: boolean;
            txProfile?: boolean;
        };
        RegistrationInput: {
            rules?: components["schemas"]["Rules"];
            /** @description Basic-auth password (OCPP AuthorizationKey), a JSON string; stored only as a hash. Omit to keep the current one; null for no authentication. */
            password?: string | null;
        };
        Registration: {
            serial: string;
            hasPassword: boolean;
            autoRegistered?: boolean;
            /**
             * @description first seen on the Easee stream
             * @enum {string}
             */
            discoveredBy?: "easee-stream";
            rules?: components["schemas"]["Rules"];
            /** Format: date-time */
            registeredAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description The live state kept for listing and filtering the fleet */
        LiveState: {
            /** @description connected over OCPP now */
            connected?: boolean;
            /** @description OCPP status of connector 1 */
            ocppStatus?: string;
            /** @description Easee ChargerOpMode (observation 109) */
            opMode?: number;
            /** @description the name of opMode, e.g. Charging */
            opModeName?: string;
            /** Format: date-time */
            ocppSeenAt?: string;
            /** Format: date-time */
            streamSeenAt?: string;
        };
        ListedCharger: {
            serial: string;
            hasPassword: boolean;
            autoRegistered?: boolean;
            /** @enum {string} */
            discoveredBy?: "easee-stream";
            rules?: components["schemas"]["Rules"];
            /** Format: date-time */
            registeredAt: string;
            /** Format: date-time */
            updatedAt: string;
            live: components["schemas"]["LiveState"];
        };
        ChargerPage: {
            items: components["schemas"]["ListedCharger"][];
            /** @description Cursor of the next page (`after`); absent on the last page */
            next?: string;
        };
        /** @description A live figure and the channel it came from; `stale` when the stream went quiet */
        Measured: {
            value: number;
            /** @enum {string} */
            source: "stream" | "ocpp";
            stale?: boolean;
        };
        /** @description Both channels of a charger as its model holds them, from the worker that owns it */
        ChargerState: {
            serial: string;
            ocpp: {
                connected?: boolean;
                session?: {
                    [key: string]: unknown;
                } | null;
                /** Format: date-time */
                lastSeenAt?: string | null;
                boot?: {
                    [key: string]: unknown;
                } | null;
                heartbeatIntervalS?: number;
                /** @description By connector id: status, errorCode, info, updatedAt */
                connectors?: {
                    [key: string]: unknown;
                };
                activeTransactions?: components["schemas"]["Transaction"][];
                wantedAvailability?: {
                    [key: string]: unknown;
                };
                /** @description Keys the charger reported or accepted (never a secret) */
                configuration?: {
                    [key: string]: unknown;
                };
                firmware?: {
                    [key: string]: unknown;
                } | null;
                diagnostics?: {
                    [key: string]: unknown;
                } | null;
            } & {
                [key: string]: unknown;
            };
            stream: {
                /** Format: date-time */
                lastSeenAt?: string | null;
                /** @description No stream data for 15 minutes: shown, not taken as live */
                stale?: boolean;
                opMode?: number | null;
                opModeName?: string | null;
                status?: string | null;
                /** @description Every observation by name: value and the charger time of it */
                observations?: {
                    [key: string]: unknown;
                };
                pendingCommands?: {
                    [key: string]: unknown;
                }[];
                recentCommands?: components["schemas"]["EaseeCommandOutcome"][];
            } & {
                [key: string]: unknown;
            };
            measured: {
                powerW?: components["schemas"]["Measured"] | null;
                sessionEnergyWh?: components["schemas"]["Measured"] | null;
            };
            /** @description The real-time limit an operator set */
            dynamicCurrent?: {
                [key: string]: unknown;
            } | null;
        };
        ChargerDetail: {
            serial: string;
            hasPassword: boolean;
            autoRegistered?: boolean;
            /** @enum {string} */
            discoveredBy?: "easee-stream";
            rules?: components["schemas"]["Rules"];
            /** Format: date-time */
            registeredAt: string;
            /** Format: date-time */
            updatedAt: string;
            live: components["schemas"]["ChargerState"] | null;
            /** @description Why the live state is missing (its worker did not answer) */
            liveError?: string;
        };
        /** @description What a bulk import did, row by row (lines count from 1, the CSV header excluded) */
        ImportResult: {
            created: number;
            updated: number;
            failed: {
                line: number;
                error: string;
            }[];
        };
        /** @description A fuse (amps per phase) and the chargers behind it; circuits are fuses of their own inside the site */
        SiteInput: {
            name?: string;
            maxCurrentA: number;
            /**
             * @default 3
             * @enum {integer}
             */
            phases: 1 | 3;
            /**
             * @description Below it a car gets 0
             * @default 6
             */
            minCurrentA: number;
            chargers?: string[];
            circuits?: {
                id: string;
                maxCurrentA: number;
                chargers: string[];
            }[];
            /** @description What each charger falls back to without its cloud; absent: a share every fuse holds */
            fallbackCurrentA?: number;
        };
        SiteLimitInput: {
            /** @description Amps per phase; null lifts it */
            maxCurrentA: number | null;
            /**
             * Format: date-time
             * @description When it ends; absent: until lifted
             */
            until?: string;
        };
        Site: {
            siteId: string;
            name?: string;
            maxCurrentA: number;
            phases: number;
            minCurrentA: number;
            chargers: string[];
            circuits: {
                id?: string;
                maxCurrentA?: number;
                chargers?: string[];
            }[];
            fallbackCurrentA?: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description The live allocation of a site: per charger the current it may draw, how it was sent and confirmed, what it draws; totals against the limit (ceiling: each charger counted at the most it may be drawing) */
        SiteAllocation: {
            siteId: string;
            defined?: boolean;
            limitA: number;
            temporaryLimit?: {
                [key: string]: unknown;
            } | null;
            fallbackA?: number | null;
            allowedTotalA: number;
            ceilingTotalA: number;
            measuredTotalA?: number;
            circuits?: {
                [key: string]: unknown;
            }[];
            chargers: {
                serial?: string;
                circuitId?: string | null;
                allowedA?: number;
                ceilingA?: number;
                measuredA?: number | null;
                wants?: boolean | null;
                online?: boolean | null;
                answering?: boolean;
                queued?: boolean;
                channel?: string | null;
                appliedAt?: string | null;
                confirmedAt?: string | null;
                reportedAt?: string | null;
            }[];
        };
        SiteWithAllocation: {
            site: components["schemas"]["Site"];
            allocation?: components["schemas"]["SiteAllocation"] | null;
            /** @description Why the live allocation is missing (its worker did not answer) */
            allocationError?: string;
        };
        IdTagInput: {
            /** @enum {string} */
            status: "Accepted" | "Blocked" | "Expired" | "Invalid" | "ConcurrentTx";
            /** Format: date-time */
            expiryDate?: string;
            parentIdTag?: string;
        };
        IdTag: {
            idTag: string;
            status: string;
            /** Format: date-time */
            expiryDate?: string;
            parentIdTag?: string;
            /** Format: date-time */
            updatedAt: string;
        };
        IdTagPage: {
            items: components["schemas"]["IdTag"][];
            /** @description Cursor of the next page (`after`); absent on the last page */
            next?: string;
        };
        OcppCommandResult: {
            /** @description For GET /api/chargers/{serial}/commands/{requestId} */
            requestId: string;
            /** @description The CALLRESULT payload the charger answered */
            response: {
                [key: string]: unknown;
            };
            /** @description Local list: a Differential was refused, a Full was sent */
            resentFull?: boolean;
            differentialStatus?: string;
        };
        /** @description An OCPP command and how it ended (or that it is still waiting); its request never shows a secret */
        CommandRecord: {
            requestId: string;
            action: string;
            /**
             * @description Only while it waits for the charger
             * @enum {string}
             */
            status?: "pending";
            request?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            requestedAt?: string;
            /** Format: date-time */
            settledAt?: string;
            outcome?: {
                [key: string]: unknown;
            };
            /** @description For a RemoteStartTransaction: the transaction it led to */
            transactionId?: number;
            reservedWrite?: boolean;
            origin?: string;
        };
        EaseeCommandOutcome: {
            requestId: string;
            /** @enum {string} */
            status: "pending" | "accepted" | "rejected" | "no-response" | "expired";
            name?: string;
            commandId?: number;
            attempts?: number;
            resultCode?: number | null;
            comment?: string;
            /** @description The cloud's ticks in its command response */
            ticks?: string;
            /** @enum {string} */
            confirmedBy?: "observation" | "boot" | "reconnect";
            /** @description A late response corrected a no-response */
            corrected?: boolean;
            /** Format: date-time */
            requestedAt?: string;
            /** Format: date-time */
            settledAt?: string;
            /** Format: date-time */
            confirmedAt?: string;
            pending?: {
                [key: string]: unknown;
            };
        };
        CurrentLimitInput: {
            amps: number;
            /** @description 0: until changed */
            ttlMinutes: number;
        };
        CurrentLimitResult: {
            requestId: string;
            /**
             * @description SetDynamicChargerCurrent, the DynamicChargerCurrent key, or a TxDefaultProfile (flash)
             * @enum {string}
             */
            channel: "easee-stream" | "ocpp-key" | "ocpp-profile";
            /** @enum {string} */
            status: "accepted" | "pending";
            amps?: number;
            requestedA?: number;
            ttlMinutes?: number;
            /** @description The limit was lowered to the installed ChargePointMaxProfile */
            clamped?: {
                requestedA?: number;
                appliedA?: number;
                capA?: number;
            };
        };
        LocalListInput: {
            idTags: string[];
        };
        ChargingSchedule: {
            connectorId: number;
            installedProfiles: {
                [key: string]: unknown;
            }[];
            /** @description The composite schedule by the OCPP rules (§3.13.3) */
            ocppComposite: {
                [key: string]: unknown;
            };
            /** @description What an Easee applies: a TxDefaultProfile overrides ChargePointMax */
            easeeEffective: {
                [key: string]: unknown;
            };
            reportedByCharger?: {
                [key: string]: unknown;
            } | null;
            writeBudget: {
                remaining?: number;
                capacity?: number;
                perDay?: number;
                /** Format: date-time */
                nextWriteAt?: string;
                reservedByPendingCalls?: number;
            };
        };
        Transaction: {
            id: number;
            serial: string;
            connectorId: number;
            idTag: string;
            authorization?: string;
            /** @enum {string} */
            status: "active" | "stopped";
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            stoppedAt?: string;
            meterStartWh: number;
            lastMeterWh?: number;
            lastMeterAt?: string;
            meterStopWh?: number;
            energyWh?: number;
            /** @description energyWh in kWh */
            energyKWh?: number;
            /** @description from start to stop, or to now while active */
            durationS?: number;
            powerW?: number;
            stopReason?: string;
            stopIdTag?: string;
            reservationId?: number;
            remoteStartRequestId?: string;
            /** @description The Easee stream's record of the same session */
            streamSession?: {
                sessionId?: number;
                energyWh?: number;
            };
            /** @description Why the record deserves a second look */
            flags: string[];
            /** Format: date-time */
            updatedAt: string;
        };
        TransactionPage: {
            items: components["schemas"]["Transaction"][];
            /** @description Cursor of the next page (`after`); absent on the last page */
            next?: string;
        };
        TokenInput: {
            name: string;
            scopes: ("read" | "operate" | "admin")[];
        };
        Token: {
            id: string;
            name: string;
            scopes: string[];
            /** Format: date-time */
            createdAt: string;
            /** @description Only in the answer that created it */
            token?: string;
        };
        TokenList: components["schemas"]["Token"][];
        AuditEntry: {
            seq: number;
            /** Format: date-time */
            at: string;
            serial: string;
            /** @description The token name */
            actor: string;
            action: string;
            method?: string;
            path?: string;
            status?: number;
            /** @description Redacted; an import is kept as counts and keys */
            request?: unknown;
            /** @description Redacted */
            result?: unknown;
        } & {
            [key: string]: unknown;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description Cursor of the next page (`after`); absent on the last page */
            next?: string;
        };
        /** @description One event of the fleet, the `data:` of a Server-Sent Event whose `event:` is its type and `id:` its sequence */
        FleetEvent: {
            /** @description <serial>:<seq of that charger> */
            id: string;
            /** @enum {string} */
            type: "connection" | "boot" | "status" | "transaction-started" | "transaction-updated" | "transaction-stopped" | "meter-values" | "firmware" | "diagnostics" | "security" | "data-transfer" | "command" | "stream-session-started" | "stream-session-stopped" | "audit" | "alert" | "current-limit" | "site-allocation";
            serial: string;
            /** Format: date-time */
            at: string;
            data: {
                [key: string]: unknown;
            };
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
    getCharger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The charger */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargerDetail"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    registerCharger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegistrationInput"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Registration"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Registration"];
                };
            };
            /** @description The body breaks its schema (a password is a JSON string of 16 to 64 characters) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteCharger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forgotten */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importChargers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    serial: string;
                    password?: string;
                }[];
                "text/csv": string;
            };
        };
        responses: {
            /** @description What the import did, row by row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            /** @description Not CSV with a header line, nor a JSON array of at most 10,000 registrations */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChargers: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The `next` cursor of the previous page */
                after?: string;
                /** @description connected over OCPP now */
                connected?: boolean;
                /** @description OCPP status of connector 1 */
                status?: "Available" | "Preparing" | "Charging" | "SuspendedEVSE" | "SuspendedEV" | "Finishing" | "Reserved" | "Unavailable" | "Faulted";
                /** @description Easee ChargerOpMode */
                opMode?: number;
                /** @description serial prefix */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of chargers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargerPage"];
                };
            };
            /** @description A filter out of its range, naming the allowed values */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setCurrentLimit: {
        parameters: {
            query?: {
                waitMs?: number;
            };
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CurrentLimitInput"];
            };
        };
        responses: {
            /** @description Applied */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentLimitResult"];
                };
            };
            /** @description Sent over the stream; its outcome is not in yet */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentLimitResult"];
                };
            };
            /** @description The body breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Refused by an Easee rule (the write budget, for a profile) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger answered with a CALLERROR */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger is not connected */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setLocalList: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocalListInput"];
            };
        };
        responses: {
            /** @description The charger's answer to the SendLocalList */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OcppCommandResult"];
                };
            };
            /** @description An unknown id tag, or a body that breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Refused by an Easee rule */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger is not connected */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChargingSchedule: {
        parameters: {
            query?: {
                connectorId?: number;
                duration?: number;
                unit?: "A" | "W";
            };
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule and the write budget */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargingSchedule"];
                };
            };
            /** @description A query value out of its range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOcppCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The command */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandRecord"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger, or no recent command with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFleet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered: number;
                        /** @description Connected over OCPP now */
                        connected: number;
                        /** @description By the last OCPP status of connector 1 (absent: never reported) */
                        byStatus: {
                            [key: string]: number;
                        };
                        /** @description By the last Easee ChargerOpMode (observation 109), the modes present */
                        opModes: {
                            opMode: number;
                            name: string;
                            chargers: number;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        scopes: ("read" | "operate" | "admin")[];
                    };
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIdTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description OCPP IdToken (CiString20, case-insensitive) */
                idTag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The id tag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdTag"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown id tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putIdTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description OCPP IdToken (CiString20, case-insensitive) */
                idTag: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IdTagInput"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdTag"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdTag"];
                };
            };
            /** @description The body breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteIdTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description OCPP IdToken (CiString20, case-insensitive) */
                idTag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown id tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importIdTags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IdTag"][];
                "text/csv": string;
            };
        };
        responses: {
            /** @description What the import did, row by row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            /** @description Not CSV with a header line, nor a JSON array of at most 50,000 id tags */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listIdTags: {
        parameters: {
            query?: {
                limit?: number;
                after?: string;
                /** @description OCPP IdToken (CiString20, case-insensitive) */
                parent?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of id tags */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdTagPage"];
                };
            };
            /** @description A query value out of its range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Site id */
                siteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteWithAllocation"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such site */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putSite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Site id */
                siteId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SiteInput"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteWithAllocation"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteWithAllocation"];
                };
            };
            /** @description The body breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A charger is on another site already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Site id */
                siteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such site */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSites: {
        parameters: {
            query?: {
                limit?: number;
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Site"][];
                        next?: string;
                    };
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putSiteLimit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Site id */
                siteId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SiteLimitInput"];
            };
        };
        responses: {
            /** @description The live allocation of a site: per charger the current it may draw, how it was sent and confirmed, what it draws; totals against the limit (ceiling: each charger counted at the most it may be drawing) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteAllocation"];
                };
            };
            /** @description The body breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such site */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No worker owns the site right now; retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sendOcppCommand: {
        parameters: {
            query?: {
                /** @description Convert a W charging schedule to A instead of refusing it */
                convert?: "A";
            };
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
                action: "CancelReservation" | "ChangeAvailability" | "ChangeConfiguration" | "ClearCache" | "ClearChargingProfile" | "DataTransfer" | "GetCompositeSchedule" | "GetConfiguration" | "GetDiagnostics" | "GetLocalListVersion" | "RemoteStartTransaction" | "RemoteStopTransaction" | "ReserveNow" | "Reset" | "SendLocalList" | "SetChargingProfile" | "TriggerMessage" | "UnlockConnector" | "UpdateFirmware" | "CertificateSigned" | "DeleteCertificate" | "ExtendedTriggerMessage" | "GetInstalledCertificateIds" | "GetLog" | "InstallCertificate" | "SignedUpdateFirmware";
            };
            cookie?: never;
        };
        /** @description The OCPP request payload of the action */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The charger's CALLRESULT */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OcppCommandResult"];
                };
            };
            /** @description Not a central-system action, or a payload that breaks its OCA schema (with `code`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Refused by an Easee rule, named in `rule`; nothing reached the charger */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger answered with a CALLERROR */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger is not connected */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The charger did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sendEaseeCommand: {
        parameters: {
            query?: {
                waitMs?: number;
            };
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
                command: "Reboot" | "PollSingle" | "UpgradeFirmware" | "SetSmartCharging" | "SetDynamicCurrentOfflineFallback" | "SetDynamicCircuitCurrent" | "SetMaxCircuitCurrent" | "AuthorizeCharging" | "DeauthorizeCharging" | "SetEnabled" | "SetLockCablePermanently" | "SetMaxChargerCurrent" | "SetDynamicChargerCurrent" | "OverrideSchedule";
            };
            cookie?: never;
        };
        /** @description The typed arguments of the command by name */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The command response came within waitMs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EaseeCommandOutcome"];
                };
            };
            /** @description Sent; ask for its outcome by requestId */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EaseeCommandOutcome"];
                };
            };
            /** @description Unknown command, or arguments that are missing, mistyped or out of range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No Easee operator stream is configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No worker answered in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEaseeCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial: string;
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The outcome, or status pending */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EaseeCommandOutcome"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No recent Easee command with that id for the charger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTransactions: {
        parameters: {
            query?: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial?: string;
                idTag?: string;
                /** @description started at or after */
                from?: string;
                /** @description started before */
                to?: string;
                limit?: number;
                after?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of transactions, or with format=csv all of them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionPage"];
                    "text/csv": string;
                };
            };
            /** @description A filter that does not parse (from, to) or out of its range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Charger serial number, which is also its OCPP identity */
                serial?: string;
                /** @description Comma-separated event types to receive */
                type?: string;
                /** @description Sequence to resume after (as Last-Event-ID) */
                from?: number;
                /** @description The old name of `from` */
                after?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stream: `id:` the sequence, `event:` the type, `data:` a FleetEvent as JSON */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["FleetEvent"];
                };
            };
            /** @description A type that is not an event type, or a cursor out of range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This edge serves its most event streams already */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                /** @description commands to this charger; `fleet` for the others */
                serial?: string;
                /** @description The `next` cursor */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the audit trail */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description A query value out of its range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every token, no secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenInput"];
            };
        };
        responses: {
            /** @description The token, shown this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The body breaks its schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's scopes do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown token */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this token; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
