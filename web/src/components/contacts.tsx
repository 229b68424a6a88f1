// Outside people as rows of name, role, address and phone, each removable, for the forms that list
// whom to tell (an integration partner's contacts, an escalation level's). Every row goes to the
// server in its place, so that its refusal naming `${prefix}[i].email` is shown at that row's field.

import { t } from '../i18n/index.ts';
import { FieldError, FieldSet } from './form.tsx';

export interface ContactRow {
    name: string;
    role: string;
    email: string;
    phone: string;
}

export const CONTACT_MEMBERS = ['name', 'role', 'email', 'phone'] as const;
export type ContactMember = (typeof CONTACT_MEMBERS)[number];

/** An empty row, as 「連絡先を追加」 adds it. */
export const EMPTY_CONTACT: ContactRow = { name: '', role: '', email: '', phone: '' };

/** The most rows a list takes (the server's limit). */
const MAX_CONTACTS = 20;

/** A contact in one line: 氏名 (役割) address phone. */
export function contactText(c: Partial<ContactRow>): string {
    return [c.role ? `${c.name ?? ''} (${c.role})` : (c.name ?? ''), c.email, c.phone].filter(Boolean).join(' ');
}

/** A row as the API takes it: the name, and the optional members only when given. */
export function contactInput(c: ContactRow): Partial<ContactRow> {
    const out: Partial<ContactRow> = { name: c.name.trim() };
    for (const k of ['role', 'email', 'phone'] as const) {
        if (c[k].trim()) out[k] = c[k].trim();
    }
    return out;
}

const HEAD_LABELS = {
    name: 'contacts.name',
    role: 'contacts.role',
    email: 'contacts.email',
    phone: 'contacts.phone',
} as const;

const ROW_LABELS = {
    name: 'contacts.nameN',
    role: 'contacts.roleN',
    email: 'contacts.emailN',
    phone: 'contacts.phoneN',
} as const;

/** 連絡先 n の氏名 (… の役割, … のメールアドレス, … の電話番号): the label of row n's input. */
export function contactLabel(member: ContactMember, n: number): string {
    return t(ROW_LABELS[member], { n });
}

/**
 * The rows with their head (氏名, 役割, メールアドレス, 電話番号), a remove button each and 「連絡先を
 * 追加」. `prefix` is the member the server names the rows by (`contacts`, `levels[1].contacts`);
 * `label(member, n)` names row n's inputs (contactLabel unless told), `removeLabel(name)` its remove
 * button.
 */
export function ContactsField({
    id,
    legend,
    hint,
    prefix,
    value,
    onValue,
    errors,
    label = contactLabel,
    removeLabel,
}: {
    id: string;
    legend: string;
    hint?: string;
    prefix: string;
    value: ContactRow[];
    onValue: (rows: ContactRow[]) => void;
    errors: Record<string, string>;
    label?: (member: ContactMember, n: number) => string;
    removeLabel: (name: string) => string;
}) {
    const change = (i: number, patch: Partial<ContactRow>): void => onValue(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
    const input = (i: number, c: ContactRow, k: ContactMember) => {
        const error = errors[`${prefix}[${i}].${k}`];
        const inputId = `${id}-${i}-${k}`;
        return (
            <div key={k} class={`contact-cell${error ? ' field-invalid' : ''}`}>
                <input
                    id={inputId}
                    aria-label={label(k, i + 1)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${inputId}-error` : undefined}
                    type={k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text'}
                    value={c[k]}
                    autoComplete="off"
                    onInput={(e) => change(i, { [k]: e.currentTarget.value })}
                />
                <FieldError id={inputId} error={error} />
            </div>
        );
    };
    return (
        <FieldSet id={id} legend={legend} hint={hint} error={errors[prefix]}>
            {value.length === 0 ? (
                <p class="muted small">{t('contacts.none')}</p>
            ) : (
                <div class="contact-rows">
                    <div class="contact-row contact-row-head" aria-hidden="true">
                        {CONTACT_MEMBERS.map((k) => (
                            <span key={k}>{t(HEAD_LABELS[k])}</span>
                        ))}
                        <span />
                    </div>
                    {value.map((c, i) => (
                        <div key={i} class="contact-row" data-contact-row={i}>
                            {CONTACT_MEMBERS.map((k) => input(i, c, k))}
                            <button
                                type="button"
                                class="button button-small"
                                aria-label={removeLabel(c.name || String(i + 1))}
                                onClick={() => onValue(value.filter((_, j) => j !== i))}
                            >
                                {t('contacts.remove')}
                            </button>
                            {errors[`${prefix}[${i}]`] && <FieldError id={`${id}-${i}`} error={errors[`${prefix}[${i}]`]} />}
                        </div>
                    ))}
                </div>
            )}
            <div>
                <button
                    type="button"
                    class="button button-small"
                    disabled={value.length >= MAX_CONTACTS}
                    onClick={() => onValue([...value, { ...EMPTY_CONTACT }])}
                >
                    {t('contacts.add')}
                </button>
            </div>
        </FieldSet>
    );
}
