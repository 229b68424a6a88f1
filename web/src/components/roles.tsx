// The roles of a user as a group of checkboxes.

import { ROLES, type Role } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { roleLabel } from '../i18n/labels.ts';
import { FieldError } from './form.tsx';

export function RolesField({
    value,
    onValue,
    error,
    readOnly,
}: {
    value: readonly Role[];
    onValue: (roles: Role[]) => void;
    error?: string | undefined;
    readOnly?: boolean;
}) {
    const toggle = (role: Role, on: boolean): void => {
        onValue(ROLES.filter((r) => (r === role ? on : value.includes(r))));
    };
    return (
        <fieldset
            class={`field field-wide roles${error ? ' field-invalid' : ''}`}
            aria-describedby={error ? 'roles-error' : undefined}
        >
            <legend>
                {t('field.roles')}
                <span class="required" aria-hidden="true">{t('form.required')}</span>
            </legend>
            <div class="check-row">
                {ROLES.map((role) => (
                    <label key={role} class="check">
                        <input
                            type="checkbox"
                            name="roles"
                            value={role}
                            checked={value.includes(role)}
                            disabled={readOnly}
                            onChange={(e) => toggle(role, e.currentTarget.checked)}
                        />
                        {roleLabel(role)}
                    </label>
                ))}
            </div>
            <FieldError id="roles" error={error} />
        </fieldset>
    );
}
