// The API's problem messages are English sentences written for operators (docs/api.md). In Japanese
// the known ones are translated here, piece by piece (policy failures come joined by "; "); an
// unknown one is shown as the server wrote it, so nothing the server says is ever hidden.

import { lang, t, type MessageKey } from './index.ts';

type Rule = [RegExp, (m: RegExpExecArray) => string];

const JA_RULES: Rule[] = [
    [/^is required$/, () => '入力してください'],
    [/^must not be empty$/, () => '入力してください'],
    [/^must be at least (\d+) characters$/, (m) => `${m[1]}文字以上にしてください`],
    [/^must be at most (\d+) characters$/, (m) => `${m[1]}文字以下にしてください`],
    [/^must be 1 to (\d+) characters$/, (m) => `1〜${m[1]}文字にしてください`],
    [
        /^must mix at least (\d+) of upper-case letters, lower-case letters, digits and symbols \(has (\d+)\)$/,
        (m) => `英大文字・英小文字・数字・記号のうち${m[1]}種類以上を含めてください（現在${m[2]}種類）`,
    ],
    [/^must not contain the login name$/, () => 'ログイン名を含めることはできません'],
    [/^must not contain the display name$/, () => '表示名を含めることはできません'],
    [/^must not contain the listed word "(.*)"$/, (m) => `使用禁止の語「${m[1]}」を含めることはできません`],
    [/^must differ from the last (\d+) passwords$/, (m) => `直近${m[1]}回に使用したパスワードは使えません`],
    [/^is not your current password$/, () => '現在のパスワードが正しくありません'],
    [/^may contain only letters a-z, digits and \. _ - @$/, () => '半角英小文字・数字・. _ - @ のみ使用できます'],
    [/^the login "(.*)" is already used$/, (m) => `ログイン名「${m[1]}」は既に使われています`],
    [/^the code "(.*)" is already used$/, (m) => `コード「${m[1]}」は既に使われています`],
    [/^an organisation named "(.*)" already exists$/, (m) => `組織「${m[1]}」は既に登録されています`],
    [/^must be an e-mail address$/, () => 'メールアドレスの形式で入力してください'],
    [/^must name at least one of .*$/, () => 'ロールを1つ以上選択してください'],
    [/^you cannot remove your own admin role$/, () => '自分自身の管理者ロールは外せません'],
    [/^you cannot disable your own account$/, () => '自分自身のアカウントは無効にできません'],
    [/^you cannot delete your own account$/, () => '自分自身のアカウントは削除できません'],
    [/^must be one of owner, vendor, other$/, () => '区分を選択してください'],
    [/^must be an integer$/, () => '整数で入力してください'],
    [/^must be between (-?\d+) and (-?\d+)$/, (m) => `${m[1]}〜${m[2]}の範囲で入力してください`],
    [/^must be an RFC 3339 time.*$/, () => '日時の形式が正しくありません'],
];

function translatePart(part: string): string {
    for (const [re, make] of JA_RULES) {
        const m = re.exec(part);
        if (m) {
            return make(m);
        }
    }
    return part;
}

/** A server message in the current language (translated when known, as sent otherwise). */
export function serverMessage(message: string): string {
    if (lang.value !== 'ja') {
        return message;
    }
    return message
        .split('; ')
        .map((part) => translatePart(part.trim()))
        .join('。');
}

const FIELD_LABELS: Record<string, MessageKey> = {
    login: 'field.login',
    password: 'field.password',
    current_password: 'field.currentPassword',
    new_password: 'field.newPassword',
    display_name: 'field.displayName',
    email: 'field.email',
    organization_id: 'field.organization',
    roles: 'field.roles',
    name: 'field.orgName',
    kind: 'field.kind',
    code: 'field.code',
    note: 'field.note',
    disabled: 'field.status',
};

/** The label of an API field name, for messages about fields that have no input on screen. */
export function fieldLabel(field: string): string {
    const key = FIELD_LABELS[field];
    return key ? t(key) : field;
}
