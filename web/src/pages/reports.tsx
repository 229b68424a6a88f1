// The operation reports (報告書, RPT-1..4): the monthly report for the regular meeting, the yearly
// analysis per fiscal year (年度, April to March) and the daily operation report, as the server
// makes them from what unyo recorded.
//
// `/reports` chooses the kind and its period (the server's defaults: last month, this 年度,
// yesterday) and 和暦 for the files; 「表示」 puts the choice in the URL (`?kind=monthly&month=…`)
// and renders the report's data: each section's figures, bar charts and tables, a section whose
// data is missing said so (データなし, distinct from a count of 0). A closed period is snapshotted
// by the server the first time it is made; the page says when, and which sections' numbers changed
// since, and admins and managers may make it again from the data as it is now. The files (HTML
// shown in place or downloaded, PDF, Excel, CSV per table or all as a ZIP) are links to the server
// in the console's language. Below, the settings the reports read (availability targets as ratios,
// the jobnets that update virus definitions, the recipients, the 年度's improvement plan) are read
// by everyone here and changed by admins and managers (If-Match; a 412 loads the latest).

import { useId, useMemo, useState } from 'preact/hooks';

import {
    REPORT_KINDS,
    REPORT_PERIOD_PARAMS,
    reportUrl,
    type GeneratedReport,
    type Id,
    type Jobnet,
    type OperationReport,
    type ReportCell,
    type ReportCellType,
    type ReportChart,
    type ReportKind,
    type ReportSection,
    type ReportSettings,
    type ReportSettingsInput,
    type ReportTable,
    type Resource,
    type Role,
} from '../api/client.ts';
import { setQuery } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { ResourceEditForm, type FieldsProps } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { useUrlFilters } from '../components/filters.tsx';
import { CheckField, FieldError, FieldSet, FormErrors, SelectField, TextAreaField, TextField, tickId } from '../components/form.tsx';
import { shiftDay, shiftMonth, thisMonth, todayInJapan } from '../components/month.tsx';
import { DataTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatNumber, formatPercent } from '../i18n/format.ts';
import { lang, t } from '../i18n/index.ts';
import { civilDate } from './cis.tsx';

/** Who reads the reports and their settings (not vendors or requesters). */
export const REPORT_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'viewer'];
/** Who changes the settings and makes a closed period's report again. */
const REPORT_PLANNERS = ['admin', 'manager'] as const;

const KIND_LABELS = { monthly: 'reports.kind.monthly', yearly: 'reports.kind.yearly', daily: 'reports.kind.daily' } as const;

function kindOf(value: string): ReportKind | null {
    return (REPORT_KINDS as readonly string[]).includes(value) ? (value as ReportKind) : null;
}

/** The fiscal year (年度) `YYYY-MM` falls in: April to March. */
function fiscalYearOfMonth(month: string): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return String(m >= 4 ? y : y - 1);
}

/** The period the server reports when none is named: last month, this 年度, yesterday (in Japan). */
function defaultPeriod(kind: ReportKind): string {
    switch (kind) {
        case 'monthly':
            return shiftMonth(thisMonth(), -1);
        case 'yearly':
            return fiscalYearOfMonth(thisMonth());
        case 'daily':
            return shiftDay(todayInJapan(), -1);
    }
}

/** The 年度 a report's period falls in (whose improvement plan the settings show), or null. */
function fiscalYearOf(kind: ReportKind, period: string): string | null {
    if (kind === 'yearly') {
        return /^\d{4}$/.test(period) ? period : null;
    }
    const month = period.slice(0, 7);
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? fiscalYearOfMonth(month) : null;
}

// ---- cells ----

/** A report's value as the console shows values elsewhere; '' for null. */
function formatReportCell(value: ReportCell, type: ReportCellType, places?: number): string {
    if (value === null) {
        return '';
    }
    switch (type) {
        case 'integer':
            return typeof value === 'number' ? formatNumber(value) : String(value);
        case 'decimal':
            return typeof value === 'number'
                ? value.toLocaleString(lang.value === 'ja' ? 'ja-JP' : 'en-US', {
                      minimumFractionDigits: places ?? 0,
                      maximumFractionDigits: places ?? 0,
                  })
                : String(value);
        case 'boolean':
            return value === true ? t('reports.yes') : value === false ? t('reports.no') : String(value);
        case 'instant':
            return typeof value === 'string' ? formatDateTime(value) : String(value);
        case 'date':
            return typeof value === 'string' ? civilDate(value) : String(value);
        case 'text':
            return String(value);
    }
}

/** Cells this long or shorter are kept on one line. */
const SHORT_TEXT = 16;

function numeric(type: ReportCellType, value: ReportCell): boolean {
    return (type === 'integer' || type === 'decimal') && typeof value === 'number';
}

// ---- the report ----

const ja = (): boolean => lang.value === 'ja';

/** A bar chart as CSS bars: label, bar (below the target in red), value; the target as a line. */
function Chart({ chart }: { chart: ReportChart }) {
    const lo = chart.min ?? 0;
    let hi = chart.max ?? 0;
    for (const b of chart.bars) {
        hi = Math.max(hi, b.value);
    }
    if (chart.target !== null) {
        hi = Math.max(hi, chart.target);
    }
    if (hi <= lo) {
        hi = lo + 1;
    }
    const at = (v: number): number => Math.min(100, Math.max(0, ((v - lo) / (hi - lo)) * 100));
    const value = (v: number): string => `${Number.isInteger(v) ? formatNumber(v) : v.toFixed(3)}${chart.unit}`;
    const title = ja() ? chart.ja : chart.en;
    return (
        <figure class="report-chart" data-chart={chart.ja}>
            <figcaption class="report-caption">{title}</figcaption>
            <ul class="report-bars">
                {chart.bars.map((b, i) => {
                    const below = chart.target !== null && b.value < chart.target;
                    return (
                        <li key={i} class="report-bar-row">
                            <span class="report-bar-label">{b.label}</span>
                            <span class="report-bar-track" aria-hidden="true">
                                <span class={`report-bar${below ? ' report-bar-below' : ''}`} style={{ width: `${at(b.value)}%` }} />
                                {chart.target !== null && <span class="report-bar-target" style={{ left: `${at(chart.target)}%` }} />}
                            </span>
                            <span class="report-bar-value">{value(b.value)}</span>
                        </li>
                    );
                })}
            </ul>
            {chart.target !== null && <p class="small muted">{t('reports.chartTarget', { target: value(chart.target) })}</p>}
        </figure>
    );
}

function Table({ table, csv }: { table: ReportTable; csv: string }) {
    const caption = ja() ? table.caption_ja : table.caption_en;
    return (
        <div class="report-table" data-table={table.name}>
            <div class="report-table-head">
                <h3 class="report-caption">{caption}</h3>
                <a class="button button-small" href={csv} download="" title={t('reports.tableCsvTitle', { table: caption })}>
                    {t('reports.tableCsv')}
                </a>
            </div>
            <DataTable
                caption={caption}
                columns={table.columns.map((c) => ({
                    label: ja() ? c.ja : c.en,
                    class: c.type === 'integer' || c.type === 'decimal' ? 'num' : undefined,
                }))}
                busy={false}
                empty={table.rows.length === 0}
            >
                {table.rows.map((row, i) => (
                    <tr key={i}>
                        {row.map((cell, j) => {
                            const col = table.columns[j];
                            const type = col?.type ?? 'text';
                            const text = formatReportCell(cell, type, col?.places);
                            // Keys, times and short words stay on one line; sentences wrap, in a column wide enough to read.
                            const oneLine = text.length <= SHORT_TEXT || type !== 'text';
                            const classes = [numeric(type, cell) ? 'num' : '', oneLine ? 'nowrap' : 'report-long'].filter(Boolean);
                            return (
                                <td key={j} class={classes.join(' ') || undefined}>
                                    {text}
                                </td>
                            );
                        })}
                    </tr>
                ))}
            </DataTable>
        </div>
    );
}

function Figures({ section }: { section: ReportSection }) {
    return (
        <table class="report-figures">
            <caption class="visually-hidden">{t('reports.figures', { section: ja() ? section.ja : section.en })}</caption>
            <tbody>
                {section.figures.map((f) => {
                    const text = formatReportCell(f.value, f.type, f.places);
                    const unit = ja() ? f.unit_ja : f.unit_en;
                    return (
                        <tr key={f.key} data-figure={f.key}>
                            <th scope="row">{ja() ? f.ja : f.en}</th>
                            <td class={numeric(f.type, f.value) ? 'num' : undefined}>
                                {text === '' ? <span class="muted">{t('common.none')}</span> : text}
                                {text !== '' && unit !== '' && <span class="report-unit">{unit}</span>}
                            </td>
                        </tr>
                    );
                })}
            </tbody>
        </table>
    );
}

function SectionView({ section, changed, csvOf }: { section: ReportSection; changed: boolean; csvOf: (table: string) => string }) {
    return (
        <Section title={ja() ? section.ja : section.en} class="report-section">
            <div data-report-section={section.id}>
                {changed && (
                    <p>
                        <Badge tone="warning">{t('reports.sectionChanged')}</Badge>
                    </p>
                )}
                {section.missing && (
                    <div class="report-missing" role="note" data-missing>
                        <strong class="report-missing-title">{t('reports.missing')}</strong>
                        <span>{(ja() ? section.missing_ja : section.missing_en) ?? ''}</span>
                    </div>
                )}
                {section.figures.length > 0 && <Figures section={section} />}
                {section.charts.map((c, i) => (
                    <Chart key={i} chart={c} />
                ))}
                {section.tables.map((tb) => (
                    <Table key={tb.name} table={tb} csv={csvOf(tb.name)} />
                ))}
                {section.note_ja !== '' && <div class="report-note pre-wrap">{section.note_ja}</div>}
            </div>
        </Section>
    );
}

/** The report's files in the console's language: HTML (in a new tab, or downloaded), PDF, Excel, CSV. */
function Files({ kind, period, wareki }: { kind: ReportKind; period: string; wareki: boolean }) {
    // 和暦 is for the documents a person reads (HTML, PDF); the sheets keep their typed dates.
    const options = { lang: lang.value, wareki };
    const sheets = { lang: lang.value };
    const links = [
        { key: 'html', label: t('reports.file.html'), href: reportUrl(kind, period, 'html', { ...options, download: true }) },
        { key: 'pdf', label: t('reports.file.pdf'), href: reportUrl(kind, period, 'pdf', options) },
        { key: 'xlsx', label: t('reports.file.xlsx'), href: reportUrl(kind, period, 'xlsx', sheets) },
        { key: 'csv', label: t('reports.file.csv'), href: reportUrl(kind, period, 'csv', sheets) },
    ];
    return (
        <div class="export report-files" role="group" aria-label={t('reports.files')}>
            <span class="export-label" aria-hidden="true">
                {t('reports.files')}
            </span>
            <a
                class="button button-small"
                href={reportUrl(kind, period, 'html', options)}
                target="_blank"
                rel="noopener"
                data-report-file="open"
            >
                {t('reports.openHtml')}
            </a>
            {links.map((l) => (
                <a
                    key={l.key}
                    class="button button-small"
                    href={l.href}
                    download=""
                    data-report-file={l.key}
                    title={t('reports.fileTitle', { format: l.label })}
                >
                    {l.label}
                </a>
            ))}
        </div>
    );
}

/** 2026年11月（令和8年11月）in Japanese (the server's words); the period itself in English. */
function periodText(r: OperationReport): string {
    if (ja()) {
        return r.period_ja;
    }
    return r.kind === 'yearly' ? t('reports.fiscalYearIs', { year: r.period }) : r.period;
}

function ReportView({
    generated,
    wareki,
    onRefreshed,
}: {
    generated: GeneratedReport;
    wareki: boolean;
    onRefreshed: (g: GeneratedReport) => void;
}) {
    const id = useId();
    const r = generated.report;
    const refresh = useAction();
    const planner = hasRole(...REPORT_PLANNERS);
    const sectionName = (sid: string): string => {
        const s = r.sections.find((x) => x.id === sid);
        return s ? (ja() ? s.ja : s.en) : sid;
    };
    const remake = (): void => {
        void refresh.run(async () => {
            onRefreshed(await api.getReport(r.kind, { period: r.period, refresh: true }));
            return t('reports.refreshed');
        });
    };
    const changedNames = generated.changed_sections.map(sectionName).join(t('reports.listSep'));
    const csvOf = (table: string): string => reportUrl(r.kind, r.period, 'csv', { lang: lang.value, table });
    return (
        <>
            <section class="panel report-head" aria-labelledby={id} data-report={r.kind} data-period={r.period}>
                <h2 id={id} class="report-title">
                    {ja() ? r.title_ja : r.title_en}
                </h2>
                <p class="report-period">{periodText(r)}</p>
                <dl class="props report-meta">
                    <dt>{t('reports.range')}</dt>
                    <dd>{t('reports.rangeIs', { from: formatDateTime(r.from), to: formatDateTime(r.to) })}</dd>
                    <dt>{t('reports.generatedAt')}</dt>
                    <dd>
                        <DateTime value={r.generated_at} />
                    </dd>
                </dl>
                {r.closed && generated.snapshot_at !== null ? (
                    <Alert tone="info" title={t('reports.snapshotAt', { at: formatDateTime(generated.snapshot_at) })}>
                        <p>{t(generated.from_snapshot ? 'reports.fromSnapshot' : 'reports.snapshotMade')}</p>
                    </Alert>
                ) : (
                    !r.closed && <Alert tone="neutral" title={t('reports.provisional')} />
                )}
                {generated.changed_since_snapshot && (
                    <div data-report-changed>
                        <Alert tone="warning" title={t('reports.changedSince', { sections: changedNames })}>
                            <p>{planner ? t('reports.changedHintPlanner') : t('reports.changedHint')}</p>
                            {planner && (
                                <div class="form-actions">
                                    <button type="button" class="button" disabled={refresh.busy} onClick={remake}>
                                        {refresh.busy ? t('reports.refreshing') : t('reports.refresh')}
                                    </button>
                                </div>
                            )}
                        </Alert>
                    </div>
                )}
                {refresh.done && <Alert tone="success" title={refresh.done} />}
                {refresh.error !== null && <ErrorAlert error={refresh.error} />}
                <Files kind={r.kind} period={r.period} wareki={wareki} />
            </section>
            {r.sections.map((s) => (
                <SectionView key={s.id} section={s} changed={generated.changed_sections.includes(s.id)} csvOf={csvOf} />
            ))}
        </>
    );
}

// ---- the page ----

export function ReportsPage() {
    const f = useUrlFilters(['kind', 'month', 'fiscal_year', 'date', 'wareki'] as const);
    const kind = kindOf(f.applied.kind);
    const period = kind ? f.applied[REPORT_PERIOD_PARAMS[kind]] || defaultPeriod(kind) : '';
    const report = useLoad(() => (kind ? api.getReport(kind, { period }) : Promise.resolve(null)), [kind, period]);
    const draftKind = kindOf(f.draft.kind) ?? 'monthly';
    const errors = fieldErrors(report.error);
    // The 年度 whose improvement plan the settings show: the report's, else last month's.
    const planYear = (kind ? fiscalYearOf(kind, period) : null) ?? fiscalYearOfMonth(defaultPeriod('monthly'));
    const show = (): void => {
        const param = REPORT_PERIOD_PARAMS[draftKind];
        setQuery({ kind: draftKind, [param]: f.draft[param] || defaultPeriod(draftKind), wareki: f.draft.wareki });
    };
    return (
        <>
            <PageHeader title={t('reports.title')} description={t('reports.description')} />
            <form
                class="filters"
                aria-label={t('reports.choose')}
                data-report-choice
                noValidate
                onSubmit={(e) => {
                    e.preventDefault();
                    show();
                }}
            >
                <SelectField
                    id="report-kind"
                    label={t('reports.kind')}
                    value={draftKind}
                    onValue={(v) => f.set('kind', v)}
                    options={REPORT_KINDS.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
                />
                {draftKind === 'monthly' && (
                    <TextField
                        id="report-month"
                        type="month"
                        label={t('reports.month')}
                        {...f.bind('month')}
                        value={f.draft.month || defaultPeriod('monthly')}
                        error={errors['month']}
                    />
                )}
                {draftKind === 'yearly' && (
                    <TextField
                        id="report-fiscal-year"
                        type="number"
                        min={2000}
                        max={2099}
                        label={t('reports.fiscalYear')}
                        hint={t('reports.fiscalYearHint')}
                        {...f.bind('fiscal_year')}
                        value={f.draft.fiscal_year || defaultPeriod('yearly')}
                        error={errors['fiscal_year']}
                    />
                )}
                {draftKind === 'daily' && (
                    <TextField
                        id="report-date"
                        type="date"
                        label={t('reports.date')}
                        {...f.bind('date')}
                        value={f.draft.date || defaultPeriod('daily')}
                        error={errors['date']}
                    />
                )}
                <CheckField
                    id="report-wareki"
                    label={t('reports.wareki')}
                    hint={t('reports.warekiHint')}
                    checked={f.draft.wareki === 'true'}
                    onChecked={(on) => f.set('wareki', on ? 'true' : '')}
                />
                <div class="filter-actions">
                    <button type="submit" class="button button-primary">
                        {t('reports.show')}
                    </button>
                </div>
            </form>
            {kind === null && <p class="hint">{t('reports.chooseHint')}</p>}
            {report.error !== null && <FormErrors error={report.error} shown={['month', 'fiscal_year', 'date']} />}
            {report.loading && kind !== null && <Loading label={t('reports.generating')} />}
            {report.data && (
                <ReportView
                    key={`${report.data.report.kind}-${report.data.report.period}`}
                    generated={report.data}
                    wareki={f.applied.wareki === 'true'}
                    onRefreshed={report.set}
                />
            )}
            <SettingsPanel fiscalYear={planYear} onSaved={() => kind !== null && report.reload()} />
        </>
    );
}

// ---- the settings ----

interface TargetRow {
    service: string;
    /** A ratio as typed (0.9995). */
    target: string;
}

interface SettingsDraft {
    default_target: string;
    targets: TargetRow[];
    virus_jobnet_ids: Id[];
    mail_to: string[];
    /** Every 年度's plan; the form shows the chosen one. */
    plans: Record<string, string>;
}

/** A ratio typed; NaN (sent as null, which the server refuses at the field) when not a number. */
function ratio(text: string): number {
    return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/** A ratio as a percentage for reading beside it (99.95%), or '' when it is not one. */
function percentOf(text: string): string {
    const r = ratio(text);
    return Number.isFinite(r) ? formatPercent(r, 2) : '';
}

function draftOf(s: ReportSettings): SettingsDraft {
    return {
        default_target: String(s.default_availability_target),
        targets: Object.entries(s.availability_targets).map(([service, target]) => ({ service, target: String(target) })),
        virus_jobnet_ids: [...s.virus_jobnet_ids],
        mail_to: [...s.mail_to],
        plans: { ...s.improvement_plans },
    };
}

/** Every member as the PUT takes it; an emptied plan is left out. */
function toInput(d: SettingsDraft): Required<ReportSettingsInput> {
    const plans: Record<string, string> = {};
    for (const [year, text] of Object.entries(d.plans)) {
        if (text.trim() !== '') {
            plans[year] = text;
        }
    }
    return {
        default_availability_target: ratio(d.default_target),
        availability_targets: Object.fromEntries(d.targets.map((r) => [r.service.trim(), ratio(r.target)])),
        virus_jobnet_ids: d.virus_jobnet_ids,
        mail_to: d.mail_to.map((m) => m.trim()),
        improvement_plans: plans,
    };
}

/** The members the form shows at its fields (the others are listed above it). */
function shownFields(d: SettingsDraft, fiscalYear: string): string[] {
    return [
        'default_availability_target',
        'availability_targets',
        ...d.targets.map((r) => `availability_targets.${r.service.trim()}`),
        'virus_jobnet_ids',
        ...d.virus_jobnet_ids.map((_, i) => `virus_jobnet_ids[${i}]`),
        'mail_to',
        ...d.mail_to.map((_, i) => `mail_to[${i}]`),
        'improvement_plans',
        `improvement_plans.${fiscalYear}`,
    ];
}

/** 0.9995 (99.95%). */
function ratioText(value: number): string {
    return t('reports.settings.ratioIs', { ratio: value, percent: formatPercent(value, 2) });
}

function jobnetName(jobnets: readonly Jobnet[], id: Id): string {
    return jobnets.find((j) => j.id === id)?.name ?? t('reports.settings.unknownJobnet', { id });
}

function SettingsFields({
    id,
    draft,
    set,
    errors,
    fiscalYear,
    jobnets,
}: FieldsProps<SettingsDraft> & { fiscalYear: string; jobnets: readonly Jobnet[] }) {
    const setRow = (i: number, patch: Partial<TargetRow>): void =>
        set({ targets: draft.targets.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
    const setMail = (i: number, value: string): void => set({ mail_to: draft.mail_to.map((m, j) => (j === i ? value : m)) });
    // Ids chosen that are not jobnets (any more) stay listed, so they can be unticked.
    const choices = [...jobnets.map((j) => j.id), ...draft.virus_jobnet_ids.filter((v) => !jobnets.some((j) => j.id === v))];
    const virusErrors = draft.virus_jobnet_ids
        .map((v, i) => (errors[`virus_jobnet_ids[${i}]`] ? `${jobnetName(jobnets, v)}: ${errors[`virus_jobnet_ids[${i}]`]}` : ''))
        .filter(Boolean);
    return (
        <div class="form-grid">
            <TextField
                id={`${id}-default-target`}
                label={t('reports.settings.defaultTarget')}
                hint={t('reports.settings.ratioHint', { percent: percentOf(draft.default_target) || '—' })}
                inputMode="decimal"
                value={draft.default_target}
                onValue={(v) => set({ default_target: v })}
                error={errors['default_availability_target']}
                autoComplete="off"
            />
            <FieldSet
                id={`${id}-targets`}
                legend={t('reports.settings.targets')}
                hint={t('reports.settings.targetsHint')}
                error={errors['availability_targets']}
            >
                {draft.targets.length === 0 ? (
                    <p class="muted small">{t('reports.settings.noTargets')}</p>
                ) : (
                    <div class="settings-rows">
                        {draft.targets.map((r, i) => {
                            const error = errors[`availability_targets.${r.service.trim()}`];
                            const rowId = `${id}-target-${i}`;
                            return (
                                <div key={i} class={`settings-row${error ? ' field-invalid' : ''}`} data-target-row={i}>
                                    <input
                                        id={`${rowId}-service`}
                                        aria-label={t('reports.settings.serviceN', { n: i + 1 })}
                                        aria-invalid={error ? true : undefined}
                                        aria-describedby={error ? `${rowId}-error` : undefined}
                                        value={r.service}
                                        autoComplete="off"
                                        onInput={(e) => setRow(i, { service: e.currentTarget.value })}
                                    />
                                    <input
                                        id={`${rowId}-target`}
                                        aria-label={t('reports.settings.targetN', { n: i + 1 })}
                                        aria-invalid={error ? true : undefined}
                                        aria-describedby={error ? `${rowId}-error` : undefined}
                                        inputMode="decimal"
                                        value={r.target}
                                        autoComplete="off"
                                        onInput={(e) => setRow(i, { target: e.currentTarget.value })}
                                    />
                                    <span class="settings-percent">{percentOf(r.target)}</span>
                                    <button
                                        type="button"
                                        class="button button-small"
                                        aria-label={t('reports.settings.removeTarget', { service: r.service || String(i + 1) })}
                                        onClick={() => set({ targets: draft.targets.filter((_, j) => j !== i) })}
                                    >
                                        {t('reports.settings.remove')}
                                    </button>
                                    <FieldError id={rowId} error={error} />
                                </div>
                            );
                        })}
                    </div>
                )}
                <div>
                    <button
                        type="button"
                        class="button button-small"
                        onClick={() => set({ targets: [...draft.targets, { service: '', target: draft.default_target }] })}
                    >
                        {t('reports.settings.addTarget')}
                    </button>
                </div>
            </FieldSet>
            <FieldSet
                id={`${id}-virus`}
                legend={t('reports.settings.virusJobnets')}
                hint={t('reports.settings.virusHint')}
                error={[errors['virus_jobnet_ids'], ...virusErrors].filter(Boolean).join(' ') || undefined}
            >
                {choices.length === 0 ? (
                    <p class="muted small">{t('reports.settings.noJobnets')}</p>
                ) : (
                    <div class="check-row">
                        {choices.map((jid) => (
                            <label key={jid} class="check">
                                <input
                                    type="checkbox"
                                    checked={draft.virus_jobnet_ids.includes(jid)}
                                    onChange={(e) =>
                                        set({ virus_jobnet_ids: tickId(draft.virus_jobnet_ids, jid, e.currentTarget.checked) })
                                    }
                                />
                                {jobnetName(jobnets, jid)}
                            </label>
                        ))}
                    </div>
                )}
            </FieldSet>
            <FieldSet
                id={`${id}-mail`}
                legend={t('reports.settings.mailTo')}
                hint={t('reports.settings.mailHint')}
                error={errors['mail_to']}
            >
                {draft.mail_to.length === 0 ? (
                    <p class="muted small">{t('reports.settings.noMail')}</p>
                ) : (
                    <div class="settings-rows">
                        {draft.mail_to.map((m, i) => {
                            const error = errors[`mail_to[${i}]`];
                            const rowId = `${id}-mail-${i}`;
                            return (
                                <div key={i} class={`settings-row settings-row-mail${error ? ' field-invalid' : ''}`}>
                                    <input
                                        id={rowId}
                                        type="email"
                                        aria-label={t('reports.settings.mailN', { n: i + 1 })}
                                        aria-invalid={error ? true : undefined}
                                        aria-describedby={error ? `${rowId}-error` : undefined}
                                        value={m}
                                        autoComplete="off"
                                        onInput={(e) => setMail(i, e.currentTarget.value)}
                                    />
                                    <button
                                        type="button"
                                        class="button button-small"
                                        aria-label={t('reports.settings.removeMail', { mail: m || String(i + 1) })}
                                        onClick={() => set({ mail_to: draft.mail_to.filter((_, j) => j !== i) })}
                                    >
                                        {t('reports.settings.remove')}
                                    </button>
                                    <FieldError id={rowId} error={error} />
                                </div>
                            );
                        })}
                    </div>
                )}
                <div>
                    <button type="button" class="button button-small" onClick={() => set({ mail_to: [...draft.mail_to, ''] })}>
                        {t('reports.settings.addMail')}
                    </button>
                </div>
            </FieldSet>
            <TextAreaField
                id={`${id}-plan`}
                label={t('reports.settings.planOf', { year: fiscalYear })}
                hint={t('reports.settings.planHint')}
                rows={5}
                value={draft.plans[fiscalYear] ?? ''}
                onValue={(v) => set({ plans: { ...draft.plans, [fiscalYear]: v } })}
                error={errors[`improvement_plans.${fiscalYear}`] ?? errors['improvement_plans']}
            />
        </div>
    );
}

function SettingsProps({ s, fiscalYear, jobnets }: { s: ReportSettings; fiscalYear: string; jobnets: readonly Jobnet[] }) {
    const none = <span class="muted">{t('reports.settings.none')}</span>;
    const targets = Object.entries(s.availability_targets);
    const plan = s.improvement_plans[fiscalYear] ?? '';
    const virus = s.virus_jobnet_ids.map((jid) => jobnetName(jobnets, jid)).join(t('reports.listSep'));
    return (
        <dl class="props" data-report-settings>
            <dt>{t('reports.settings.defaultTarget')}</dt>
            <dd data-setting="default_availability_target">{ratioText(s.default_availability_target)}</dd>
            <dt>{t('reports.settings.targets')}</dt>
            <dd>
                {targets.length === 0 ? (
                    none
                ) : (
                    <ul class="plain-list">
                        {targets.map(([service, target]) => (
                            <li key={service}>
                                {service}: {ratioText(target)}
                            </li>
                        ))}
                    </ul>
                )}
            </dd>
            <dt>{t('reports.settings.virusJobnets')}</dt>
            <dd>{s.virus_jobnet_ids.length === 0 ? none : virus}</dd>
            <dt>{t('reports.settings.mailTo')}</dt>
            <dd>{s.mail_to.length === 0 ? none : s.mail_to.join(', ')}</dd>
            <dt>{t('reports.settings.planOf', { year: fiscalYear })}</dt>
            <dd class="pre-wrap">{plan === '' ? none : plan}</dd>
            <dt>{t('reports.settings.updatedAt')}</dt>
            <dd>
                <DateTime value={s.updated_at} empty={t('reports.settings.defaults')} />
            </dd>
        </dl>
    );
}

function SettingsPanel({ fiscalYear, onSaved }: { fiscalYear: string; onSaved: () => void }) {
    const settings = useLoad(() => api.getReportSettings(), []);
    const jobnets = useLoad(() => api.listJobnets(), []);
    const planner = hasRole(...REPORT_PLANNERS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const list = jobnets.data?.items;
    // One component per 年度 and jobnet list: typing keeps the focus, the chosen 年度's plan is shown.
    const Fields = useMemo(
        () => (p: FieldsProps<SettingsDraft>) => <SettingsFields {...p} fiscalYear={fiscalYear} jobnets={list ?? []} />,
        [fiscalYear, list],
    );
    const current = settings.data;
    return (
        <Section title={editing ? t('reports.settings.editTitle') : t('reports.settings.title')}>
            <p class="hint">{t('reports.settings.description')}</p>
            {saved && <Alert tone="success" title={saved} />}
            {settings.loading && current === null && <Loading />}
            {settings.error !== null && <ErrorAlert error={settings.error} />}
            {current &&
                (editing ? (
                    <ResourceEditForm
                        current={current}
                        draftOf={draftOf}
                        toInput={toInput}
                        update={(_none, patch, etag) => api.updateReportSettings(patch, etag)}
                        reload={() => api.getReportSettings()}
                        etag={etagOf}
                        shown={(d) => shownFields(d, fiscalYear)}
                        Fields={Fields}
                        marker="report-settings-edit"
                        label={t('reports.settings.editTitle')}
                        reloadedTitle={t('reports.settings.reloaded')}
                        onSaved={(res: Resource<ReportSettings>) => {
                            settings.set(res);
                            setEditing(false);
                            setSaved(t('reports.settings.saved'));
                            onSaved();
                        }}
                        onReloaded={settings.set}
                        onCancel={() => setEditing(false)}
                    />
                ) : (
                    <>
                        <SettingsProps s={current.data} fiscalYear={fiscalYear} jobnets={list ?? []} />
                        {planner && (
                            <div class="form-actions">
                                <button
                                    type="button"
                                    class="button"
                                    onClick={() => {
                                        setSaved(null);
                                        setEditing(true);
                                    }}
                                >
                                    {t('reports.settings.edit')}
                                </button>
                            </div>
                        )}
                    </>
                ))}
        </Section>
    );
}
