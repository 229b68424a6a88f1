// What each monitor type checks, as data: the target members its form shows (kind of input, label,
// hint, limits, and when a member applies), how its thresholds read (a higher value is worse; a
// lower one for a certificate's days left; none for a heartbeat), the kind of its measured value,
// whether only admins may set it, and its target in short. The form, the tiles, a monitor's page and
// the chart read this table; a new type is a new entry, not a new branch in each of them.

import {
    DNS_RECORD_TYPES,
    SYSLOG_SEVERITIES,
    type MonitorTarget,
    type MonitorType,
    type Role,
} from '../api/client.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/ja.ts';

export type TargetMember = keyof MonitorTarget;

/** A target's members as the form holds them: text as typed, check boxes as booleans. */
export type TargetValues = Partial<Record<TargetMember, string | boolean>>;

interface FieldBase {
    member: TargetMember;
    label: MessageKey;
    hint?: MessageKey;
    /** Values for the hint's `{placeholders}` (a port's default). */
    hintVars?: Record<string, string | number>;
    required?: boolean;
    wide?: boolean;
    /** Shown (and sent) only when this holds for the values typed (syslog's members, a log file's path). */
    when?: (values: TargetValues) => boolean;
}

export type TargetField =
    /** A line of text, sent trimmed, left out when empty. */
    | (FieldBase & { kind: 'text'; initial?: string })
    /** A whole number, left out when empty. */
    | (FieldBase & { kind: 'number'; min: number; max: number })
    /** One of `options`; `empty` names an extra first choice that sends nothing (the server's default). */
    | (FieldBase & { kind: 'select'; options: readonly string[]; optionLabel?: (value: string) => string; initial: string; empty?: MessageKey })
    /** A check box, sent only when it differs from `initial` (the server's default). */
    | (FieldBase & { kind: 'check'; initial: boolean })
    /** One string a line, sent as an array (a plugin and its arguments: no shell, no quoting). */
    | (FieldBase & { kind: 'list' })
    /** `KEY=VALUE` a line, sent as an object of strings. */
    | (FieldBase & { kind: 'pairs' });

/** What a type's value is, for its unit and its formatting. */
export type ValueKind = 'ms' | 'percent' | 'bytesPerSecond' | 'count' | 'days' | 'lines' | 'links' | 'load' | 'number';

export interface MonitorKind {
    fields: readonly TargetField[];
    /** `higher`: a value at or over a threshold is bad; `lower`: at or under (days left); `none`: no thresholds. */
    thresholds: 'higher' | 'lower' | 'none';
    /** The thresholds' hint when the type's differs from the general one (defaults, what the value is). */
    thresholdHint?: MessageKey;
    value: ValueKind;
    /** Only these roles may add it or change it (the server answers 403 to others). */
    roles?: readonly Role[];
    /** The target in short, for tiles and a monitor's page; the type's name when absent. */
    summary?: (target: MonitorTarget) => string;
}

const hostPort = (tg: MonitorTarget): string => (tg.port === undefined ? tg.host ?? '' : `${tg.host ?? ''}:${tg.port}`);
const typeLabelled = (type: MonitorType, what: string | undefined): string => `${monitorTypeLabel(type)} ${what ?? ''}`.trim();

const host: TargetField = { member: 'host', kind: 'text', label: 'monitor.host', hint: 'monitor.hostHint', required: true };
/** An optional port with the type's default in its hint. */
const portDefault = (port: number): TargetField => ({
    member: 'port',
    kind: 'number',
    label: 'monitor.port',
    hint: 'monitor.portDefaultHint',
    hintVars: { port },
    min: 1,
    max: 65535,
});
const tlsVerify: TargetField = { member: 'tls_verify', kind: 'check', label: 'monitor.tlsVerify', hint: 'monitor.tlsVerifyHint', initial: true };
const caFile: TargetField = { member: 'ca_file', kind: 'text', label: 'monitor.caFile', hint: 'monitor.caFileHint' };
/** A service that answers on a port: host and port, the value the time to its greeting or handshake. */
const service = (type: MonitorType, port: number): MonitorKind => ({
    fields: [host, portDefault(port)],
    thresholds: 'higher',
    value: 'ms',
    summary: (tg) => typeLabelled(type, hostPort(tg)),
});
const isSyslog = (v: TargetValues): boolean => v.source === 'syslog';
const none: MonitorKind = { fields: [], thresholds: 'higher', value: 'number' };

export const MONITOR_KINDS: Record<MonitorType, MonitorKind> = {
    tcp: {
        fields: [host, { member: 'port', kind: 'number', label: 'monitor.port', hint: 'monitor.portHint', required: true, min: 1, max: 65535 }],
        thresholds: 'higher',
        value: 'ms',
        summary: (tg) => `${tg.host ?? ''}:${tg.port ?? ''}`,
    },
    http: {
        fields: [
            { member: 'url', kind: 'text', label: 'monitor.url', hint: 'monitor.urlHint', required: true, wide: true, initial: 'http://' },
            { member: 'expect_status', kind: 'number', label: 'monitor.expectStatus', hint: 'monitor.expectStatusHint', min: 100, max: 599 },
            { member: 'keyword', kind: 'text', label: 'monitor.keyword', hint: 'monitor.keywordHint' },
            { member: 'follow_redirects', kind: 'check', label: 'monitor.followRedirects', hint: 'monitor.followRedirectsHint', initial: true },
            tlsVerify,
            caFile,
        ],
        thresholds: 'higher',
        value: 'ms',
        summary: (tg) => tg.url ?? '',
    },
    links: {
        fields: [
            { member: 'url', kind: 'text', label: 'monitor.linksUrl', hint: 'monitor.urlHint', required: true, wide: true, initial: 'http://' },
            { member: 'depth', kind: 'number', label: 'monitor.linksDepth', hint: 'monitor.linksDepthHint', min: 0, max: 5 },
            { member: 'max_pages', kind: 'number', label: 'monitor.linksMaxPages', hint: 'monitor.linksMaxPagesHint', min: 1, max: 1000 },
            tlsVerify,
            caFile,
        ],
        thresholds: 'higher',
        thresholdHint: 'monitor.linksThresholdHint',
        value: 'links',
        summary: (tg) => typeLabelled('links', tg.url),
    },
    tls_cert: {
        fields: [
            host,
            portDefault(443),
            { member: 'server_name', kind: 'text', label: 'monitor.serverName', hint: 'monitor.serverNameHint' },
            tlsVerify,
            caFile,
        ],
        thresholds: 'lower',
        thresholdHint: 'monitor.tlsThresholdHint',
        value: 'days',
        summary: (tg) => typeLabelled('tls_cert', [hostPort(tg), tg.server_name].filter(Boolean).join(' / ')),
    },
    dns: {
        fields: [
            { member: 'name', kind: 'text', label: 'monitor.dnsName', hint: 'monitor.dnsNameHint', required: true },
            { member: 'record_type', kind: 'select', label: 'monitor.recordType', options: DNS_RECORD_TYPES, initial: 'A' },
            { member: 'server', kind: 'text', label: 'monitor.dnsServer', hint: 'monitor.dnsServerHint' },
            portDefault(53),
            { member: 'expect', kind: 'text', label: 'monitor.dnsExpect', hint: 'monitor.dnsExpectHint' },
        ],
        thresholds: 'higher',
        value: 'ms',
        summary: (tg) => typeLabelled('dns', `${tg.name ?? ''} ${tg.record_type ?? 'A'}${tg.server ? ` @${tg.server}` : ''}`),
    },
    ntp: { ...service('ntp', 123), fields: [host, portDefault(123)], thresholdHint: 'monitor.ntpThresholdHint' },
    icmp: {
        fields: [host, { member: 'count', kind: 'number', label: 'monitor.pingCount', hint: 'monitor.pingCountHint', min: 1, max: 10 }],
        thresholds: 'higher',
        value: 'ms',
        summary: (tg) => typeLabelled('icmp', tg.host),
    },
    smtp: service('smtp', 25),
    ftp: service('ftp', 21),
    postgres: service('postgres', 5432),
    mysql: service('mysql', 3306),
    heartbeat: { ...none, thresholds: 'none' },
    cpu: { ...none, value: 'percent' },
    memory: { ...none, value: 'percent' },
    disk: {
        fields: [{ member: 'path', kind: 'text', label: 'monitor.path', hint: 'monitor.pathHint', required: true, initial: '/' }],
        thresholds: 'higher',
        value: 'percent',
        summary: (tg) => typeLabelled('disk', tg.path),
    },
    load: { ...none, value: 'load' },
    net_traffic: {
        fields: [{ member: 'interface', kind: 'text', label: 'monitor.interface', hint: 'monitor.interfaceHint' }],
        thresholds: 'higher',
        value: 'bytesPerSecond',
        summary: (tg) => typeLabelled('net_traffic', tg.interface ?? t('monitor.allInterfaces')),
    },
    process: {
        fields: [
            { member: 'name', kind: 'text', label: 'monitor.processName', hint: 'monitor.processNameHint' },
            { member: 'pattern', kind: 'text', label: 'monitor.pattern', hint: 'monitor.patternHint' },
            { member: 'min', kind: 'number', label: 'monitor.processMin', hint: 'monitor.processMinHint', min: 0, max: 100000 },
            { member: 'max', kind: 'number', label: 'monitor.processMax', hint: 'monitor.processMaxHint', min: 0, max: 100000 },
        ],
        thresholds: 'higher',
        value: 'count',
        summary: (tg) => typeLabelled('process', [tg.name, tg.pattern].filter(Boolean).join(' / ')),
    },
    command: {
        fields: [
            { member: 'command', kind: 'list', label: 'monitor.command', hint: 'monitor.commandHint', required: true, wide: true },
            { member: 'env', kind: 'pairs', label: 'monitor.env', hint: 'monitor.envHint', wide: true },
        ],
        thresholds: 'higher',
        thresholdHint: 'monitor.commandThresholdHint',
        value: 'number',
        roles: ['admin'],
        summary: (tg) => (tg.command ?? []).join(' '),
    },
    log: {
        fields: [
            {
                member: 'source',
                kind: 'select',
                label: 'monitor.logSource',
                options: ['file', 'syslog'],
                optionLabel: (v) => labelOf(`monitor.logSource.${v}`, v),
                initial: 'file',
            },
            { member: 'path', kind: 'text', label: 'monitor.logPath', hint: 'monitor.logPathHint', required: true, wide: true, when: (v) => !isSyslog(v) },
            { member: 'host', kind: 'text', label: 'monitor.syslogHost', hint: 'monitor.syslogHostHint', when: isSyslog },
            { member: 'app', kind: 'text', label: 'monitor.syslogApp', hint: 'monitor.syslogAppHint', when: isSyslog },
            {
                member: 'severity',
                kind: 'select',
                label: 'monitor.syslogSeverity',
                hint: 'monitor.syslogSeverityHint',
                options: SYSLOG_SEVERITIES,
                optionLabel: (v) => labelOf(`monitor.syslogSeverity.${v}`, v),
                initial: '',
                empty: 'monitor.syslogSeverityAll',
                when: isSyslog,
            },
            { member: 'pattern', kind: 'text', label: 'monitor.logPattern', hint: 'monitor.logPatternHint', required: true, wide: true },
            { member: 'exclude', kind: 'text', label: 'monitor.logExclude', hint: 'monitor.logExcludeHint', wide: true },
            { member: 'from_start', kind: 'check', label: 'monitor.fromStart', hint: 'monitor.fromStartHint', initial: false, when: (v) => !isSyslog(v) },
        ],
        thresholds: 'higher',
        thresholdHint: 'monitor.logThresholdHint',
        value: 'lines',
        summary: (tg) =>
            typeLabelled('log', tg.source === 'syslog' ? ['syslog', tg.host, tg.app, tg.severity].filter(Boolean).join(' / ') : tg.path),
    },
};

function labelOf(key: string, fallback: string): string {
    return isMessageKey(key) ? t(key) : fallback;
}

/** `TCP`, `HTTP`, `ハートビート`. */
export function monitorTypeLabel(type: string): string {
    return labelOf(`monitorType.${type}`, type);
}

/** The entry of `type`; an unknown type (a newer server's) has no target fields and a plain value. */
export function kindOf(type: string): MonitorKind {
    return (MONITOR_KINDS as Record<string, MonitorKind | undefined>)[type] ?? none;
}

/** The fields of `type` that apply to `values` (a log's syslog members only for syslog). */
export function shownFields(type: string, values: TargetValues): TargetField[] {
    return kindOf(type).fields.filter((f) => f.when?.(values) ?? true);
}

function initialOf(f: TargetField): string | boolean {
    switch (f.kind) {
        case 'check':
            return f.initial;
        case 'text':
        case 'select':
            return f.initial ?? '';
        default:
            return '';
    }
}

/** The form's values of a new target of `type`. */
export function initialTarget(type: string): TargetValues {
    return Object.fromEntries(kindOf(type).fields.map((f) => [f.member, initialOf(f)]));
}

/**
 * The form's values when the type changes: the new type's initial values, keeping what was typed
 * in a member both types have in the same kind (a host stays a host), but not an untouched initial
 * value (a disk's "/" does not become a log file's path).
 */
export function switchTarget(from: string, values: TargetValues, to: string): TargetValues {
    const next = initialTarget(to);
    for (const f of kindOf(to).fields) {
        const old = kindOf(from).fields.find((o) => o.member === f.member && o.kind === f.kind);
        const value = values[f.member];
        if (old && value !== undefined && value !== initialOf(old)) {
            next[f.member] = value;
        }
    }
    return next;
}

/** The form's values of a saved target. */
export function targetValues(type: string, target: MonitorTarget): TargetValues {
    const values: TargetValues = {};
    for (const f of kindOf(type).fields) {
        const v: unknown = target[f.member];
        switch (f.kind) {
            case 'check':
                values[f.member] = typeof v === 'boolean' ? v : f.initial;
                break;
            case 'list':
                values[f.member] = Array.isArray(v) ? v.join('\n') : '';
                break;
            case 'pairs':
                values[f.member] =
                    v !== null && typeof v === 'object'
                        ? Object.entries(v as Record<string, string>)
                              .map(([k, x]) => `${k}=${x}`)
                              .join('\n')
                        : '';
                break;
            default:
                values[f.member] = v === undefined || v === null ? initialOf(f) : String(v);
        }
    }
    return values;
}

/** The lines of a text area, trimmed, blank ones left out. */
function linesOf(text: string): string[] {
    return text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
}

/** The target as the API takes it: the members shown, empty ones and defaults left out. */
export function targetInput(type: string, values: TargetValues): MonitorTarget {
    const out: Record<string, unknown> = {};
    for (const f of shownFields(type, values)) {
        const v = values[f.member];
        if (f.kind === 'check') {
            const checked = typeof v === 'boolean' ? v : f.initial;
            if (checked !== f.initial) {
                out[f.member] = checked;
            }
            continue;
        }
        const text = typeof v === 'string' ? v : '';
        switch (f.kind) {
            case 'number':
                if (text.trim() !== '') {
                    out[f.member] = Number(text.trim());
                }
                break;
            case 'list': {
                const lines = linesOf(text);
                if (lines.length > 0) {
                    out[f.member] = lines;
                }
                break;
            }
            case 'pairs': {
                const lines = linesOf(text);
                if (lines.length > 0) {
                    // A line without "=" is a variable set to nothing.
                    out[f.member] = Object.fromEntries(
                        lines.map((l) => {
                            const at = l.indexOf('=');
                            return at < 0 ? [l, ''] : [l.slice(0, at).trim(), l.slice(at + 1)];
                        }),
                    );
                }
                break;
            }
            default:
                if (text.trim() !== '') {
                    out[f.member] = text.trim();
                }
        }
    }
    return out as MonitorTarget;
}

/** Every `target.<member>` some type's form shows in place (the rest of a refusal goes above the form). */
export const TARGET_SHOWN: readonly string[] = [
    ...new Set(Object.values(MONITOR_KINDS).flatMap((k) => k.fields.map((f) => `target.${f.member}`))),
];

/**
 * The types the user (per `may`) may choose; `keep`, the monitor's own type, is offered whatever the
 * roles, and also when this console does not know it (a newer server's), so that the choice shows it.
 */
export function typesFor(types: readonly MonitorType[], may: (roles: readonly Role[]) => boolean, keep?: MonitorType): MonitorType[] {
    const all = keep === undefined || types.includes(keep) ? types : [...types, keep];
    return all.filter((ty) => ty === keep || mayChangeType(ty, may));
}

/** Whether the signed-in user (per `may`) may change a monitor of `type`. */
export function mayChangeType(type: string, may: (roles: readonly Role[]) => boolean): boolean {
    const roles = kindOf(type).roles;
    return !roles || may(roles);
}
