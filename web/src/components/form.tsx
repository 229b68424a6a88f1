// Labelled form fields: every input has a visible label, its hint and error are tied to it with
// aria-describedby, and an invalid field says so (aria-invalid).

import type { ComponentChildren, JSX } from 'preact';

import { t } from '../i18n/index.ts';
import { fieldLabel } from '../i18n/server.ts';
import { fieldErrors } from './errors.ts';
import { ErrorAlert } from './ui.tsx';

interface FieldProps {
    id: string;
    label: string;
    required?: boolean;
    hint?: string;
    error?: string | undefined;
    children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
    wide?: boolean;
}

/** A label, a control made by `children`, an optional hint and error message. */
export function Field({ id, label, required, hint, error, children, wide }: FieldProps) {
    const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
        <div class={`field${wide ? ' field-wide' : ''}${error ? ' field-invalid' : ''}`}>
            <div class="field-label">
                <label for={id}>{label}</label>
                {required && (
                    <span class="required" aria-hidden="true">
                        {t('form.required')}
                    </span>
                )}
            </div>
            {children(ids === '' ? undefined : ids, Boolean(error))}
            {hint && (
                <p class="hint" id={`${id}-hint`}>
                    {hint}
                </p>
            )}
            <FieldError id={id} error={error} />
        </div>
    );
}

/** The error message of field `id` (`${id}-error`, which the control's aria-describedby names), if any. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
    return error ? (
        <p class="field-error" id={`${id}-error`}>
            {error}
        </p>
    ) : null;
}

/** What every control of a Field carries: its id (also the form name) and its hint/error ties. */
function control(id: string, describedBy: string | undefined, invalid: boolean) {
    return { id, name: id, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined };
}

/** What every field takes: its id (also the form name), label, value and change, hint and error. */
interface ValueProps {
    id: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    hint?: string;
    error?: string | undefined;
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label'> &
    ValueProps & {
        required?: boolean;
        wide?: boolean;
    };

export function TextField({ id, label, value, onValue, hint, error, required, wide, ...rest }: InputProps) {
    return (
        <Field id={id} label={label} hint={hint} error={error} required={required} wide={wide}>
            {(describedBy, invalid) => (
                <input
                    {...control(id, describedBy, invalid)}
                    value={value}
                    onInput={(e) => onValue(e.currentTarget.value)}
                    required={required}
                    {...rest}
                />
            )}
        </Field>
    );
}

type PasswordProps = Omit<InputProps, 'type' | 'required' | 'autoComplete'>;

/** A required password input; `autoComplete` tells password managers which password it is. */
export function PasswordField(props: PasswordProps & { autoComplete: 'current-password' | 'new-password' }) {
    return <TextField {...props} type="password" required />;
}

/** A required new password, with the password policy as its hint. */
export function NewPasswordField(props: Omit<PasswordProps, 'hint'>) {
    return <PasswordField {...props} autoComplete="new-password" hint={t('password.policy')} />;
}

export interface Option {
    value: string;
    label: string;
}

type SelectProps = ValueProps & {
    options: readonly Option[];
    required?: boolean;
    disabled?: boolean;
};

export function SelectField({ id, label, value, onValue, options, hint, error, required, disabled }: SelectProps) {
    return (
        <Field id={id} label={label} hint={hint} error={error} required={required}>
            {(describedBy, invalid) => (
                <select
                    {...control(id, describedBy, invalid)}
                    value={value}
                    onChange={(e) => onValue(e.currentTarget.value)}
                    required={required}
                    disabled={disabled}
                >
                    {options.map((o) => (
                        <option key={o.value} value={o.value}>
                            {o.label}
                        </option>
                    ))}
                </select>
            )}
        </Field>
    );
}

type TextAreaProps = ValueProps & {
    readOnly?: boolean;
    required?: boolean;
    rows?: number;
    /** The text area's own class (`mono` for code). */
    class?: string;
};

export function TextAreaField({ id, label, value, onValue, hint, error, readOnly, required, rows = 3, class: cls }: TextAreaProps) {
    return (
        <Field id={id} label={label} hint={hint} error={error} required={required} wide>
            {(describedBy, invalid) => (
                <textarea
                    {...control(id, describedBy, invalid)}
                    class={cls}
                    rows={rows}
                    value={value}
                    readOnly={readOnly}
                    required={required}
                    onInput={(e) => onValue(e.currentTarget.value)}
                />
            )}
        </Field>
    );
}

/** A check box labelled by its words, with an optional hint and error tied to it. */
export function CheckField({
    id,
    label,
    checked,
    onChecked,
    hint,
    error,
    disabled,
}: {
    id: string;
    label: string;
    checked: boolean;
    onChecked: (checked: boolean) => void;
    hint?: string;
    error?: string | undefined;
    disabled?: boolean;
}) {
    const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
        <div class={`field${error ? ' field-invalid' : ''}`}>
            <label class="check">
                <input
                    {...control(id, ids === '' ? undefined : ids, Boolean(error))}
                    type="checkbox"
                    checked={checked}
                    disabled={disabled}
                    onChange={(e) => onChecked(e.currentTarget.checked)}
                />
                {label}
            </label>
            {hint && (
                <p class="hint" id={`${id}-hint`}>
                    {hint}
                </p>
            )}
            <FieldError id={id} error={error} />
        </div>
    );
}

/**
 * A group of controls (check boxes, mostly) under a legend, with an optional hint and error tied to
 * the group (`${id}-hint`, `${id}-error`); `class` adds to `field field-wide`.
 */
export function FieldSet({
    id,
    legend,
    hint,
    error,
    class: extra,
    children,
}: {
    id: string;
    legend: string;
    hint?: string | undefined;
    error: string | undefined;
    class?: string;
    children: ComponentChildren;
}) {
    const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
        <fieldset
            id={id}
            class={`field field-wide${extra ? ` ${extra}` : ''}${error ? ' field-invalid' : ''}`}
            aria-describedby={ids === '' ? undefined : ids}
        >
            <legend>{legend}</legend>
            {hint && (
                <p class="hint" id={`${id}-hint`}>
                    {hint}
                </p>
            )}
            {children}
            <FieldError id={id} error={error} />
        </fieldset>
    );
}

/** `chosen` with `id` ticked (kept in ascending order) or unticked: a check box of an id list. */
export function tickId(chosen: readonly number[], id: number, ticked: boolean): number[] {
    return ticked ? [...chosen, id].sort((a, b) => a - b) : chosen.filter((x) => x !== id);
}

/** Messages for fields that have no input on screen (or a general summary), above the form. */
export function OtherFieldErrors({
    errors,
    shown,
    label,
}: {
    errors: Record<string, string>;
    shown: readonly string[];
    label: (field: string) => string;
}) {
    const rest = Object.entries(errors).filter(([field]) => !shown.includes(field));
    if (rest.length === 0) {
        return null;
    }
    return (
        <ul class="other-errors">
            {rest.map(([field, message]) => (
                <li key={field}>
                    {field === '' ? message : `${label(field)}: ${message}`}
                </li>
            ))}
        </ul>
    );
}

/** Above a form whose last submit failed: what went wrong, and the field errors not shown at a field. */
export function FormErrors({ error, shown }: { error: unknown; shown: readonly string[] }) {
    if (error === null) {
        return null;
    }
    return (
        <ErrorAlert error={error}>
            <OtherFieldErrors errors={fieldErrors(error)} shown={shown} label={fieldLabel} />
        </ErrorAlert>
    );
}
