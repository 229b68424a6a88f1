// The API's problem messages are English sentences written for operators (docs/api.md). In Japanese
// the known ones are translated here, piece by piece (policy failures come joined by "; "); an
// unknown one is shown as the server wrote it, so nothing the server says is ever hidden.

import { isMessageKey, lang, t, type MessageKey } from './index.ts';
import { severityLabel } from './labels.ts';

type Rule = [RegExp, (m: RegExpExecArray) => string];

/** A run's or job's status in words (running → 実行中), as the jobs' refusals name it. */
function jobState(status: string | undefined): string {
    const key = `jobStatus.${status ?? ''}`;
    return isMessageKey(key) ? t(key) : (status ?? '');
}

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
    // the record ledger
    [
        /^an incident closes only with a permanent fix \(本対応\) or a linked problem$/,
        () => '本対応が未入力です。本対応を入力するか、問題を関連付けてから完了してください',
    ],
    [/^the document update "(.*)" is not done yet$/, (m) => `文書「${m[1]}」の更新が済んでいません`],
    [/^is required to move to (.*)$/, (m) => `「${m[1]}」にするには入力が必要です`],
    [/^is required and cannot be cleared$/, () => '必須のため空にできません'],
    [/^(\S+) cannot move from (.*) to (.*)$/, (m) => `${m[1]} は「${m[2]}」から「${m[3]}」にできません`],
    [/^moving (\S+) to (.*) needs the role (.*)$/, (m) => `「${m[2]}」にするにはロール ${m[3]} が必要です`],
    [/^no record has the key (.*)$/, (m) => `キー ${m[1]} の記録はありません`],
    [/^must be a time such as .*$/, () => '日時の形式が正しくありません'],
    [/^must be a date \(YYYY-MM-DD\)$/, () => '日付の形式が正しくありません (YYYY-MM-DD)'],
    [/^must be a user id$/, () => '利用者を選択してください'],
    [/^user (\d+) does not exist$/, (m) => `利用者 ${m[1]} は存在しません`],
    [/^organisation (\d+) does not exist$/, (m) => `組織 ${m[1]} は存在しません`],
    [/^must be one of critical, high, medium, low$/, () => '重要度を選択してください'],
    [/^must be one of .*$/, () => '一覧から選択してください'],
    // notification channels
    [/^name at least one of alerts, planned_stops, outages$/, () => '通知する内容を 1 つ以上選んでください'],
    [/^'(.*)' is not one of alerts, planned_stops, outages$/, (m) => `「${m[1]}」は通知する内容の選択肢にありません`],
    [/^must be an id or null$/, () => '一覧から選択してください'],
    // calendars
    [
        /^must be \{"open": "HH:MM", "close": "HH:MM"\} with open before close$/,
        () => '始業と終業を HH:MM で入力し、始業を終業より前にしてください',
    ],
    [/^a calendar named "(.*)" already exists$/, (m) => `カレンダー「${m[1]}」は既に登録されています`],
    [/^(.*) is not a date \(YYYY-MM-DD\)$/, (m) => `${m[1]} は日付 (YYYY-MM-DD) ではありません`],
    // SLA policies
    [/^must be between 1 minute and 366 days$/, () => '1分以上366日以下にしてください'],
    [/^must not be in the past$/, () => '過去の日時は指定できません'],
    [/^no calendar (\d+)$/, (m) => `カレンダー ${m[1]} は存在しません`],
    // saved views and watchers
    [/^is required, at most 100 characters$/, () => '100文字以内で入力してください'],
    [/^you already have a view named '(.*)' here$/, (m) => `「${m[1]}」という名前のビューは既にあります`],
    [/^only admins and managers may share a view$/, () => 'ビューを共有できるのは管理者と承認者だけです'],
    [/^no active user (\d+)$/, (m) => `利用者 ${m[1]} は有効な利用者ではありません`],
    [/^user (\d+) may not see (.*)$/, (m) => `利用者 ${m[1]} は ${m[2]} を閲覧できません`],
    // monitoring
    [/^must be a port number \(1–65535\)$/, () => 'ポート番号 (1〜65535) を入力してください'],
    [/^must start with http:\/\/ or https:\/\/$/, () => 'http:// または https:// で始まる URL を入力してください'],
    [/^must start with http:\/\/.*$/, () => 'http:// で始まる URL を入力してください'],
    [/^must be an HTTP status \(100–599\)$/, () => 'HTTP ステータス (100〜599) を入力してください'],
    [/^must be a non-empty string$/, () => '入力してください'],
    [/^must not exceed the interval$/, () => '確認間隔 (ミリ秒に換算) 以下にしてください'],
    [/^must not exceed critical$/, () => '異常のしきい値以下にしてください'],
    [/^must be a number or null$/, () => '数値で入力してください'],
    [/^a monitor cannot depend on itself$/, () => '自分自身には依存できません'],
    [/^would make a cycle: a parent depends on this monitor$/, () => '親がこの監視に依存しているため循環します'],
    [/^must be an array of monitor ids$/, () => '監視を選択してください'],
    [/^monitor (\d+) does not exist$/, (m) => `監視 ${m[1]} は存在しません`],
    [/^a monitor named "(.*)" already exists$/, (m) => `監視「${m[1]}」は既に登録されています`],
    [/^must be critical, high, medium or low$/, () => '重要度を選択してください'],
    [/^alert (\d+) is acknowledged already$/, (m) => `アラート ${m[1]} は既に確認されています`],
    [/^must be an RFC 3339 instant.*$/, () => '日時の形式が正しくありません'],
    [/^must be in the future$/, () => '現在より後の日時にしてください'],
    [/^must be an absolute path$/, () => '/ で始まる絶対パスを入力してください'],
    [/^give the process name, a command-line pattern, or both$/, () => 'プロセス名かコマンドラインの文字列 (または両方) を入力してください'],
    [/^must be a count \(0–100000\)$/, () => '0〜100000 の数を入力してください'],
    [/^must not be below min$/, () => '最少の数以上にしてください'],
    [/^must be true or false$/, () => 'オンかオフを選んでください'],
    [/^must not be below critical \(a lower value is worse for this type\)$/, () => '異常のしきい値以上にしてください (この種類は値が小さいほど悪い状態です)'],
    [/^must be 1–10 echo requests$/, () => '1〜10 回を入力してください'],
    [/^must be 0–5 levels of links$/, () => '0〜5 階層を入力してください'],
    [/^must be 1–1000 pages$/, () => '1〜1000 ページを入力してください'],
    [
        /^must be the plugin's absolute path and its arguments \(1–64 strings\)$/,
        () => '1 行目にプラグインの絶対パス、2 行目から引数を入力してください (合わせて 64 行まで、空の行は不可)',
    ],
    [/^must be an object of strings$/, () => '「名前=値」の形で入力してください'],
    [/^must be file or syslog$/, () => '読み取り元を選択してください'],
    [
        /^must be the absolute path of the log file \(or set source: syslog\)$/,
        () => 'ログファイルの絶対パス (/ で始まる) を入力してください',
    ],
    [/^must be a non-empty RE2 pattern$/, () => 'RE2 の正規表現を入力してください'],
    [/^is not a valid RE2 pattern: (.*)$/, (m) => `RE2 の正規表現として正しくありません: ${m[1]}`],
    [/^must be emerg, alert, crit, err, warning, notice, info or debug$/, () => '重大度を選択してください'],
    [
        /^only an admin may add, change or delete a command monitor.*$/,
        () => 'コマンド監視を登録・変更・削除できるのは管理者だけです (unyo のサーバー上でプログラムを実行するため)',
    ],
    // planned stops
    [
        /^the stop starts less than (\d+) days ahead: state why it cannot be announced in time$/,
        (m) => `開始まで${m[1]}日未満のため、事前に周知できない理由を入力してください`,
    ],
    [/^must be after starts_at$/, () => '開始日時より後にしてください'],
    [/^name at least one service$/, () => '業務システムを1つ以上選択してください'],
    [/^name at least one monitor$/, () => '監視を1つ以上選択してください'],
    [/^must be all, services or monitors$/, () => '対象を選択してください'],
    [/^must be inspection, preventive .*$/, () => '種別を選択してください'],
    [/^planned stop (\d+) is approved already$/, (m) => `計画停止 ${m[1]} は既に承認されています`],
    // notification channels
    [/^must be smtp or webhook$/, () => '種類を選択してください'],
    [/^cannot be changed; make a new channel$/, () => '変更できません。新しい通知先を追加してください'],
    [/^name at least one address$/, () => '宛先を1件以上入力してください'],
    [/^is required: a list of mail addresses$/, () => '宛先のメールアドレスを入力してください'],
    [/^'(.*)' is not a mail address$/, (m) => `「${m[1]}」はメールアドレスではありません`],
    [/^must be a mail address$/, () => 'メールアドレスの形式で入力してください'],
    [/^must be an http:\/\/ or https:\/\/ URL$/, () => 'http:// または https:// で始まる URL を入力してください'],
    [/^must be generic, slack or teams$/, () => '形式を選択してください'],
    [/^a channel named "(.*)" already exists$/, (m) => `通知先「${m[1]}」は既に登録されています`],
    // alert rules
    [/^give a severity, channel_ids or both$/, () => '重要度か通知先 (または両方) を指定してください'],
    [/^must be monitoring, event, alertmanager or engine$/, () => '送信元を選択してください'],
    [/^'(.*)' is not critical, warning, unknown or flapping$/, (m) => `「${m[1]}」は監視の状態の選択肢にありません`],
    [/^must be critical, high, medium, low or null$/, () => '重要度を選択してください'],
    [/^channel (\d+) does not exist$/, (m) => `通知先 ${m[1]} は存在しません`],
    [/^must be an array of channel ids$/, () => '通知先を選択してください'],
    [
        /^must be a non-empty array of channel ids, or null for every channel$/,
        () => '通知先を 1 つ以上選ぶか、何も選ばずにすべての通知先にしてください',
    ],
    [/^is required \(an empty object matches every alert\)$/, () => '条件を指定してください (空の条件はすべてのアラートに一致します)'],
    [/^a rule named "(.*)" already exists$/, (m) => `ルール「${m[1]}」は既に登録されています`],
    [/^is not a known field$/, () => '未知の項目です'],
    [/^must be a string$/, () => '文字列で入力してください'],
    [/^planned stop (\d+) is over$/, (m) => `計画停止 ${m[1]} は終了しているため変更できません`],
    // jobnets (docs/jobs.md)
    [/^no job has the key '(.*)'$/, (m) => `キー「${m[1]}」のジョブはありません`],
    [/^a job cannot wait for itself$/, () => 'ジョブは自分自身を待てません'],
    [/^'(.*)' is named twice$/, (m) => `「${m[1]}」が 2 回指定されています`],
    [/^'(.*)' is used by another job$/, (m) => `キー「${m[1]}」は別のジョブが使っています`],
    [/^the jobs wait for each other in a cycle: (.*)$/, (m) => `ジョブが循環して待ち合っています: ${m[1]}`],
    // (the types the server takes are listed in the parentheses, whichever they are)
    [/^(\S+) jobs are not supported yet \((.*)\)$/, (m) => `${m[1]} ジョブはまだ使えません (使える種類: ${m[2]})`],
    [/^'(.*)' is not a job type \((.*)\)$/, (m) => `「${m[1]}」はジョブの種類ではありません (${m[2]})`],
    [/^must be a list of exit codes 0–255$/, () => '終了コード (0〜255) の配列にしてください'],
    [/^must be a list of exit codes 0–255 \(default \[0\]\)$/, () => '終了コード (0〜255) の配列にしてください (既定は [0])'],
    [
        /^is required: \{self: true\} or \{name, sources, destination, copies\?, generations\?\}$/,
        () => 'backup を {self: true} か {name, sources, destination, copies?, generations?} で指定してください',
    ],
    [/^is required: \{self: true\} or \{destination, name\}$/, () => 'drill を {self: true} か {destination, name} で指定してください'],
    [
        /^is required: \{url, method\?, body\?, headers\?, expect\?, timeout_s\?\}$/,
        () => 'http を {url, method?, body?, headers?, expect?, timeout_s?} で指定してください',
    ],
    [/^is required: \{message\} \(what the approver decides\)$/, () => '承認者が判断する内容を approval: {message} で指定してください'],
    [/^is required: \{path, stable_s\?, poll_s\?\}$/, () => 'file_wait を {path, stable_s?, poll_s?} で指定してください'],
    // judges: a branch on an earlier job's exit code or output
    [
        /^is required: \{job, exit_codes\?, output_contains\?, output_matches\?, else\?\}$/,
        () => '判定を judge: {job, exit_codes?, output_contains?, output_matches?, else?} で指定してください',
    ],
    [
        /^give the condition: exit_codes, output_contains or output_matches$/,
        () => '条件を exit_codes、output_contains、output_matches のいずれかで指定してください',
    ],
    [/^is not a regular expression \(RE2\): (.*)$/, (m) => `RE2 の正規表現として正しくありません: ${m[1]}`],
    [
        /^'(.*)' must be one of the jobs this one waits for \(after\)$/,
        (m) => `「${m[1]}」はこの判定が待つジョブ (after) のどれかにしてください`,
    ],
    [/^'(.*)' has no exit code or output to judge$/, (m) => `「${m[1]}」には判定する終了コードや出力がありません`],
    [
        /^'(.*)' does not wait for this judge \(add '(.*)' to its after\)$/,
        (m) => `「${m[1]}」はこの判定を待っていません (「${m[1]}」の after に「${m[2]}」を加えてください)`,
    ],
    // nested jobnets ("KEY: …" names the job, `sub/inner` when deeper)
    [/^is required: \{name\} \(the jobnet to run inside this one\)$/, () => '中で実行するジョブネットを jobnet: {name} で指定してください'],
    [/^(\S+): no jobnet is named "(.*)"$/, (m) => `${m[1]}: ジョブネット「${m[2]}」はありません`],
    [/^(\S+): jobnet "(.*)" would run inside itself$/, (m) => `${m[1]}: ジョブネット「${m[2]}」が自分自身の中で実行されることになります`],
    [/^(\S+): jobnets are nested deeper than (\d+)$/, (m) => `${m[1]}: ジョブネットの入れ子が ${m[2]} 段を超えています`],
    [
        /^(\S+): with jobnet "(.*)" there would be more than (\d+) jobs$/,
        (m) => `${m[1]}: ジョブネット「${m[2]}」を含めるとジョブが ${m[3]} 個を超えます`,
    ],
    // (X is the nesting jobnet's name)
    [/^jobnet (.+) runs "(.*)" inside it$/, (m) => `ジョブネット「${m[1]}」が「${m[2]}」を中で実行しています`],
    [/^jobnet (.+) runs "(.*)" inside it by name$/, (m) => `ジョブネット「${m[1]}」が「${m[2]}」を名前で指定して中で実行しています`],
    [/^change it first$/, () => '先にそちらを変更してください'],
    [/^use 1–64 letters, digits, _ or -$/, () => '英数字と _ - を 1〜64 文字で指定してください'],
    [/^must be a non-empty array of jobs$/, () => 'ジョブを 1 つ以上含む配列にしてください'],
    [/^is required: at least one job$/, () => 'ジョブを 1 つ以上指定してください'],
    [/^give the program and its arguments, .*$/, () => 'プログラムと引数を配列で指定してください (例: ["/usr/local/bin/extract", "--all"])'],
    [/^the program must not be empty$/, () => 'プログラムを指定してください'],
    [/^must be an absolute path$/, () => '絶対パスで指定してください'],
    // file transfer and backup copies (docs/jobs.md, docs/operations.md)
    [/^must start with sftp:\/\/, ftps:\/\/ or ftp:\/\/$/, () => 'sftp://、ftps:// または ftp:// で始めてください'],
    [/^SFTP needs the server's host key: .*$/, () => 'SFTP ではサーバーのホスト鍵の確認が必要です: known_hosts (ファイル) か host_key_sha256 を指定してください'],
    [/^SFTP needs private_key .*$/, () => 'SFTP では private_key (SSH 鍵ファイル) か password_file を指定してください'],
    [/^is for ftp:\/\/ only$/, () => 'ftp:// でだけ使えます'],
    [/^must be put \(send\) or get \(fetch\)$/, () => 'put (送信) か get (受信) を指定してください'],
    [/^must name a file, not a directory$/, () => 'ディレクトリではなくファイルを指定してください'],
    [/^must be a directory, ending in \/$/, () => '/ で終わるディレクトリを指定してください'],
    [/^must be 64 lower-case hex digits$/, () => '64 桁の 16 進数 (小文字) で指定してください'],
    [/^is for get: .*$/, () => 'get (受信) でだけ使えます: 受信したファイルの SHA-256'],
    [/^is for put: .*$/, () => 'put (送信) でだけ使えます: 送信後に読み戻して照合します'],
    [/^give encrypt: \{key_file\}$/, () => 'encrypt: {key_file} の形で指定してください'],
    [/^is required: \{direction, local, url, …\}$/, () => '必須です: {direction, local, url, …}'],
    [/^(.*) must hold the key as 64 hex digits .*$/, (m) => `${m[1]} には鍵を 16 進 64 桁で記載してください (openssl rand -hex 32)`],
    [/^'(.*)' is not a time HH:MM$/, (m) => `「${m[1]}」は HH:MM の時刻ではありません`],
    [/^(\S+) is outside the batch window (\S+)$/, (m) => `${m[1]} はバッチ時間帯 ${m[2]} の外です`],
    [/^give at least one start time HH:MM$/, () => '開始時刻を 1 つ以上 HH:MM で指定してください'],
    [/^give at least one weekday$/, () => '曜日を 1 つ以上選んでください'],
    [/^give at least one day$/, () => '実行日を 1 つ以上指定してください'],
    [/^give at least one MM-DD$/, () => '月日を 1 つ以上 MM-DD で指定してください'],
    [/^is required for this rule$/, () => 'この実行日の規則では必須です'],
    [/^a cron rule gives its own times$/, () => 'cron 式は時刻も指定するため、開始時刻は指定できません'],
    [/^'(.*)' is not a day YYYY-MM-DD$/, (m) => `「${m[1]}」は YYYY-MM-DD の日付ではありません`],
    [/^'(.*)' is not a day of the year MM-DD$/, (m) => `「${m[1]}」は MM-DD の月日ではありません`],
    [/^a jobnet named "(.*)" already exists$/, (m) => `ジョブネット「${m[1]}」は既に登録されています`],
    // jobnets as YAML (export and import)
    [/^the file is not YAML: (.*) \(line (\d+)\)$/, (m) => `YAML として読めません: ${m[1]} (${m[2]} 行目)`],
    [/^the file must hold `jobnets:` with a list of jobnets$/, () => 'jobnets: の下にジョブネットの一覧を書いてください'],
    [/^appears twice in the file$/, () => '同じ name のジョブネットがファイル内に 2 回あります'],
    [/^must be a mapping$/, () => '「項目: 値」の形 (マッピング) で書いてください'],
    [/^no jobnet is named "(.*)"$/, (m) => `ジョブネット「${m[1]}」はありません`],
    // (the jobs' refusals come in parts joined by "; ", translated one by one: see serverMessage)
    [/^run (\d+) of jobnet (\d+) is still (\w+)$/, (m) => `実行 ${m[1]} がまだ${jobState(m[3])}です`],
    [/^the jobnet does not allow overlapping runs$/, () => 'このジョブネットは実行を重ねられません'],
    [/^run (\d+) was missed while the server was down$/, (m) => `実行 ${m[1]} はサーバーの停止中で実行されませんでした`],
    [/^start the jobnet instead$/, () => 'ジョブネットを今すぐ実行してください'],
    [/^run (\d+) has no failed, killed or lost job$/, (m) => `実行 ${m[1]} には異常終了・強制停止・状態不明のジョブがありません`],
    [/^run (\d+) has jobs running$/, (m) => `実行 ${m[1]} には実行中のジョブがあります`],
    [/^kill them first$/, () => '先に強制停止してください'],
    [/^run (\d+) has succeeded already$/, (m) => `実行 ${m[1]} は既に正常終了しています`],
    [/^(run|job) (\S+) is held already$/, (m) => `${m[1] === 'run' ? '実行' : 'ジョブ'} ${m[2]} は既に保留中です`],
    [/^(run|job) (\S+) is not held already$/, (m) => `${m[1] === 'run' ? '実行' : 'ジョブ'} ${m[2]} は保留されていません`],
    [/^job (\S+) is (\w+), not running$/, (m) => `ジョブ ${m[1]} は${jobState(m[2])}で、実行中ではありません`],
    [/^(run|job) (\S+) is (\w+)$/, (m) => `${m[1] === 'run' ? '実行' : 'ジョブ'} ${m[2]} は${jobState(m[3])}です`],
    [/^only a finished job can be rerun$/, () => '再実行できるのは終わったジョブだけです'],
    [/^only a pending, failed, killed or lost job can be skipped$/, () => 'スキップできるのは実行待ち・異常終了・強制停止・状態不明のジョブだけです'],
    [/^only a failed, killed or lost job can be completed by force$/, () => '強制完了できるのは異常終了・強制停止・状態不明のジョブだけです'],
    [/^only a job not started yet can be held$/, () => '保留できるのは開始前のジョブだけです'],
    [/^jobnet (\d+) has (\d+) runs whose history is kept$/, (m) => `ジョブネットには実行の記録が ${m[2]} 件あり、記録を残すため削除できません`],
    [/^disable it \(enabled: false\) instead$/, () => '無効にしてください'],
    // the operation calendar and backups
    [/^is required for an event that does not recur$/, () => '繰り返さない予定には終了日時が必要です'],
    [/^must be maintenance, inspection, power_outage, patch, meeting or other$/, () => '種別を選んでください'],
    [/^'(.*)' is not a day YYYY-MM-DD$/, (m) => `「${m[1]}」は YYYY-MM-DD の日付ではありません`],
    [/^no backup generation is named "(.*)"$/, (m) => `バックアップ世代「${m[1]}」はありません`],
    [/^must be an absolute directory path$/, () => '/ で始まる絶対パスで指定してください'],
    [
        /^must be outside the running server's data directory$/,
        () => '稼働中のサーバーのデータディレクトリには復元できません (その中のディレクトリ、それを含むディレクトリも同様です)',
    ],
    // "<dir> is not empty; restoring over existing data needs overwrite" arrives as two parts
    [/^(\/.*) is not empty$/, (m) => `${m[1]} は空ではありません`],
    [
        /^restoring over existing data needs overwrite$/,
        () => '既存のデータに上書きして復元するには「空でないディレクトリに上書きする」をオンにしてください',
    ],
    [/^the backup does not verify: (.*)$/, (m) => `バックアップの検証で異常が見つかったため復元しません: ${translatePart(m[1] ?? '')}`],
    [
        /^the archive's SHA-256 is (\w+), the manifest says (\w+)$/,
        (m) => `アーカイブの SHA-256 (${m[1]}) がマニフェストの値 (${m[2]}) と一致しません`,
    ],
    // attachments
    // (the server's "…; send …" arrives as two parts: see serverMessage)
    [/^"(.*)" is not accepted$/, (m) => `この種類のファイル (${m[1]}) は添付できません`],
    [/^send PDF, PNG, JPEG, text, CSV, ZIP or an Office file$/, () => 'PDF・PNG・JPEG・テキスト・CSV・ZIP・Office 文書を添付してください'],
    [/^the file is not (.*)$/, (m) => `ファイルの内容が種類 (${m[1]}) と一致しません`],
    [/^must be 1 byte to 10 MiB$/, () => '1 バイト以上 10 MiB 以下のファイルを添付してください'],
    [
        /^must be a file name of 1 to 200 characters without \/ or \\$/,
        () => 'ファイル名は / と \\ を含まない 200 文字以内にしてください',
    ],
    // role division matrices (docs/raci.md; the reader's warnings come in Japanese already)
    [/^a role matrix named "(.*)" already exists$/, (m) => `役割分担表「${m[1]}」は既に登録されています`],
    [/^give the matrix a name( of 1–200 characters| \(\?name=…\))$/, () => '名前を 1〜200 文字で入力してください'],
    [/^no table found: a header row with 項番 is needed$/, () => '表が見つかりません。「項番」を含む見出し行が必要です'],
    [/^the table names no organisations$/, () => '表に組織 (実施者) の列がありません'],
    [/^the table has no work items$/, () => '表に作業項目の行がありません'],
    [/^the legend gives (.*) for both roles$/, (m) => `凡例で作業主体と作業協力が同じ記号 (${m[1]}) になっています`],
    [/^the CSV ends inside a quoted field$/, () => 'CSV の引用符 (") が閉じられないまま終わっています'],
    [
        /^must be text \(tab-separated, as copied from the document\) or csv$/,
        () => '形式はテキスト (タブ区切り) か CSV を選んでください',
    ],
    [/^a heading row has no roles$/, () => '見出しの行には役割を付けられません'],
    [/^(must be|is required:) main, support or null \(empty\)$/, () => '作業主体 (main)・作業協力 (support)・空欄 (null) のいずれかにしてください'],
    [/^is required: the work item's id$/, () => '作業項目を指定してください'],
    [/^is required: the organisation's column \(0 for the first\)$/, () => '組織の列を指定してください (最初の列が 0)'],
    [/^must be 0–(\d+) \(the matrix's organisations\)$/, (m) => `組織の列は 0〜${m[1]} で指定してください`],
    [/^role matrix (\d+) has no work item (\d+)$/, (m) => `役割分担表 ${m[1]} に作業項目 ${m[2]} はありません`],
    [/^role matrix (\d+) does not exist$/, (m) => `役割分担表 ${m[1]} はありません`],
    [
        /^role matrix (\d+) was changed by someone else \(reload it\)$/,
        (m) => `役割分担表 ${m[1]} は他の方が変更しました (読み込み直してください)`,
    ],
    [/^(is required: an|must be an) organization's id or null$/, () => '組織を選択してください'],
    // a record's work item (ORG-3)
    [/^must be a work item's id \(a role division matrix's row\)$/, () => '役割分担表の作業項目を選択してください'],
    [/^work item (\d+) does not exist$/, (m) => `作業項目 ${m[1]} は存在しません`],
    [
        /^work item (\d+) is a heading; choose a work item under it$/,
        (m) => `作業項目 ${m[1]} は見出しです。その下の作業項目を選択してください`,
    ],
    [/^organization (\d+) does not exist$/, (m) => `組織 ${m[1]} は存在しません`],
    // configuration items (docs/cis.md)
    [/^must not be before end_of_support$/, () => 'サポート終了日より前の日付にはできません'],
    [/^must be a number of licences \(0 or more\) or null$/, () => 'ライセンス数は 0 以上の数で入力してください'],
    [/^must be a date YYYY-MM-DD or null$/, () => '日付の形式が正しくありません (YYYY-MM-DD)'],
    [/^must be an object of name: value$/, () => '属性は名前と値の組で入力してください'],
    [
        /^configuration item (\d+) was changed by someone else \(now version (\d+)\)$/,
        (m) => `構成アイテム ${m[1]} は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    // integration partners (docs/partners.md)
    [/^must be one e-mail address$/, () => 'メールアドレスを 1 つ入力してください'],
    [/^a partner named "(.*)" is listed already$/, (m) => `連携先「${m[1]}」は既に登録されています`],
    [
        /^partner "(.*)" was changed by someone else \(now version (\d+)\)$/,
        (m) => `連携先「${m[1]}」は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    [/^configuration item (\d+) does not exist$/, (m) => `構成アイテム ${m[1]} は存在しません`],
    [/^must be a configuration item's id or null$/, () => '構成アイテムを選択してください'],
    [/^must be a list of at most 20 \{name, role\?, email\?, phone\?\}$/, () => '連絡先は 20 件までにしてください'],
    // security advisories (docs/advisories.md)
    [/^XML line (\d+): a document type declaration is not accepted$/, (m) => `XML の ${m[1]} 行目: 文書型宣言 (DOCTYPE) を含むファイルは受け付けません`],
    [/^XML line (\d+): (.*)$/, (m) => `XML の ${m[1]} 行目が読めません (${m[2]})`],
    [/^the file is empty$/, () => 'ファイルが空です'],
    [/^the file is not valid JSON: (.*)$/, (m) => `JSON として読めません: ${m[1]}`],
    [
        /^no advisory found: expected MyJVN VULDEF \(<Vulinfo>\) or JVNRSS \(<item>\)$/,
        () => 'セキュリティ情報が見つかりません。MyJVN の VULDEF (<Vulinfo>) か JVNRSS (<item>) のファイルを選んでください',
    ],
    [/^advisory (\S+) is recorded already$/, (m) => `セキュリティ情報 ${m[1]} は既に記録されています`],
    [
        /^advisory (\S+) was changed by someone else \(now version (\d+)\)$/,
        (m) => `セキュリティ情報 ${m[1]} は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    [/^advisory (\S+) has its procedure already \(run (\d+)\)$/, (m) => `セキュリティ情報 ${m[1]} の手順は既に開始されています (手順 ${m[2]})`],
    [/^advisory (\S+) is (\w+): no patch to apply$/, (m) => `セキュリティ情報 ${m[1]} は「${t(`advisories.status.${m[2] === 'accepted' ? 'accepted' : 'not_affected'}`)}」のため、適用するパッチはありません`],
    [
        /^there is no procedure template of kind (\S+): .*$/,
        () => 'セキュリティパッチ適用の手順テンプレートがありません。手順の画面で「標準の手順を登録」してください',
    ],
    // the handover ledger (docs/handovers.md)
    [/^is required: the date of the handover$/, () => '授受日を入力してください'],
    [/^must not be before handed_on$/, () => '授受日より前の日付にはできません'],
    [/^is required: the date it came back \(or was erased\)$/, () => '返却日 (消去した日) を入力してください'],
    [/^must not be in the future$/, () => '未来の日付にはできません'],
    [/^handover (\d+) was returned on (\S+)$/, (m) => `この授受は ${(m[2] ?? '').replaceAll('-', '/')} に返却が記録されています`],
    [
        /^handover (\d+) was changed by someone else \(now version (\d+)\)$/,
        (m) => `授受の記録 ${m[1]} は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    // accounts on the managed systems and checklist runs (docs/managed-accounts.md, docs/checklists.md)
    [/^is required: the system \(configuration item\) the account is on$/, () => 'システム (構成アイテム) を選択してください'],
    [/^account "(.*)" is on that system already$/, (m) => `このシステムにはアカウント「${m[1]}」が既に登録されています`],
    [
        /^account (\d+) was changed by someone else \(now version (\d+)\)$/,
        (m) => `アカウント ${m[1]} は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    [/^say why a dormant or leaver's account is kept$/, () => '休眠・退職者のアカウントを継続する理由を入力してください'],
    [/^say what was found$/, () => '確認した内容を入力してください'],
    [/^(\d+) item\(s\) are not decided yet$/, (m) => `未判定の項目が ${m[1]} 件あるため完了できません`],
    [/^there is nothing to list in this (inventory|account review)$/, () => '対象がありません'],
    [/^(inventory|account review) (\d+) is closed$/, () => '完了しているため変更できません'],
    // procedures (docs/procedures.md)
    [
        /^step '(.*)' is approved by a (manager|admin) of (.*)$/,
        (m) => {
            const role = m[2] === 'admin' ? 'システム管理者' : '管理者';
            const org =
                m[3] === 'the owner (発注者)'
                    ? '発注者'
                    : m[3] === 'any organisation'
                      ? 'いずれかの組織'
                      : m[3]!.replace(/^organization (\d+)$/, '組織 $1');
            return `この承認は${org}の${role}が行います`;
        },
    ],
    [/^step '(.*)' is done by operations staff or its organisation$/, () => 'この手順は運用担当者か担当の組織が実施します'],
    [/^step '(.*)' is not next: '(.*)' comes first$/, () => 'この手順はまだ実施できません。前の手順を先に済ませてください'],
    [/^step '(.*)' is an approval: approve or reject it$/, () => 'この手順は承認か却下で進めます'],
    [/^step '(.*)' is done, not approved: complete it$/, () => 'この手順は承認ではなく完了で進めます'],
    [/^procedure run (\d+) is completed$/, () => 'この手順は既に完了しています'],
    [/^procedure run (\d+) is stopped$/, () => 'この手順は中止されています'],
    [/^procedure run (\d+) has no step '(.*)'$/, (m) => `この手順に「${m[2]}」はありません`],
    [/^say why it is rejected$/, () => '却下の理由を入力してください'],
    [
        /^this step needs its evidence: say what was done \(and where its record is\)$/,
        () => '実施した内容 (と記録の場所) を入力してください',
    ],
    [/^this step needs a jobnet run as its evidence$/, () => 'この手順の証跡として、成功したジョブ実行を選んでください'],
    [
        /^this step needs a backup as its evidence: a jobnet run with a backup job, or a restore drill \(drill_id\)$/,
        () => 'この手順の証跡として、バックアップのジョブ実行かリストア訓練を選んでください',
    ],
    [/^this step needs an attachment of the run's record as its evidence$/, () => 'この手順の証跡として、記録の添付ファイルを選んでください'],
    [/^this run is not for a record: start it for one to attach its evidence$/, () => 'この手順は記録に紐づいていないため、添付ファイルを証跡にできません'],
    [/^jobnet run (\d+) does not exist$/, (m) => `ジョブ実行 #${m[1]} は存在しません`],
    [/^jobnet run (\d+) is (\w+), not succeeded$/, (m) => `ジョブ実行 #${m[1]} は成功していません (${jobState(m[2])})`],
    [/^jobnet run (\d+) has no backup job$/, (m) => `ジョブ実行 #${m[1]} にはバックアップのジョブがありません`],
    [/^restore drill (\d+) does not exist$/, (m) => `リストア訓練 #${m[1]} は存在しません`],
    [/^attachment (\d+) is not the record's$/, (m) => `添付ファイル #${m[1]} はこの記録のものではありません`],
    // the service catalogue, knowledge, documents
    [/^must be a date YYYY-MM-DD$/, () => '日付の形式が正しくありません (YYYY-MM-DD)'],
    [/^must be one of the field's options$/, () => '選択肢から選んでください'],
    [/^must be text$/, () => '文字で入力してください'],
    [/^is not a field of this service's form$/, () => 'このサービスのフォームにない項目です'],
    [/^must be an object of field name: answer$/, () => '回答の形式が正しくありません'],
    [/^a service named "(.*)" already exists$/, (m) => `サービス「${m[1]}」は既に登録されています`],
    [/^service "(.*)" is not offered now$/, (m) => `サービス「${m[1]}」は現在受け付けていません`],
    [
        /^service "(.*)" was changed by someone else \(now version (\d+)\)$/,
        (m) => `サービス「${m[1]}」は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    [/^reload and retry$/, () => '最新の内容を読み込んでから、もう一度操作してください'],
    [/^your roles may not request "(.*)"$/, (m) => `「${m[1]}」を依頼する権限がありません`],
    [/^work item (\d+) does not exist$/, (m) => `作業項目 ${m[1]} は存在しません`],
    [/^must be a work item's id or null$/, () => '作業項目の ID を入力してください'],
    [/^must be text, long_text, date or enum$/, () => '種類は text・long_text・date・enum のいずれかにしてください'],
    [/^say why it is rejected$/, () => '却下の理由を入力してください'],
    [/^must be faq, runbook or workaround$/, () => '種類を選択してください'],
    // escalation routes (docs/escalation.md)
    [/^a route named "(.*)" exists already$/, (m) => `体制図「${m[1]}」は既に登録されています`],
    [
        /^escalation route "(.*)" was changed by someone else \(now version (\d+)\)$/,
        (m) => `体制図「${m[1]}」は他の方が変更しました (現在は版 ${m[2]})`,
    ],
    [/^is required: the levels from the first responders up$/, () => '一次対応から順にレベルを 1 つ以上登録してください'],
    [/^must not be before the level above it$/, () => '上のレベルより前の時間にはできません'],
    [/^'(.*)' is not a severity \(critical, high, medium, low\)$/, (m) => `「${m[1]}」は重要度ではありません`],
    [/^organization (\d+) does not exist$/, (m) => `組織 ${m[1]} は存在しません`],
    [/^must be a date YYYY-MM-DD or null$/, () => '日付の形式が正しくありません (YYYY-MM-DD)'],
    [/^every level of "(.*)" was told already$/, (m) => `体制図「${m[1]}」のすべてのレベルに連絡済みです`],
    [
        /^no escalation route serves (\S+) \(severity (\w+)\); define one at .*$/,
        (m) => `${m[1]} (重要度: ${severityLabel(m[2] ?? '')}) に適用される体制図がありません。体制図を登録してください`,
    ],
    [
        /^(\S+) is (\w+): there is no one left to escalate to$/,
        (m) => `${m[1]} は${m[2] === 'closed' ? '完了' : '復旧済み'}のため、これ以上エスカレーションできません`,
    ],
    // knowledge entries linked to records (docs/knowledge.md)
    [/^record (\d+) does not exist$/, (m) => `記録 ${m[1]} は存在しません`],
    [
        /^record (\d+) is an? (\w+): knowledge links to incidents, problems and inquiries$/,
        (m) => `記録 ${m[1]} は障害・問題・問い合わせではないため、関連付けられません`,
    ],
    [/^is required: the incident, problem or inquiry$/, () => '障害・問題・問い合わせを指定してください'],
    [/^only a workaround is applied, and to an incident$/, () => '適用できるのは回避策だけで、障害に対してだけです'],
    [
        /^workaround (\d+) is not approved \((\w+)\): it may not be applied yet$/,
        () => 'この回避策はまだ承認されていないため、適用できません',
    ],
    [/^knowledge entry (\d+) is linked to (\S+) already$/, (m) => `このナレッジは既に ${m[2]} に関連付けられています`],
    // the April reorganisation (docs/reorganisation.md)
    [
        /^no user (\S+) \(new users are added one by one, with their initial password\)$/,
        (m) => `利用者 ${m[1]} は登録されていません (新しい利用者は初期パスワードとともに 1 人ずつ登録してください)`,
    ],
    [/^'(.*)' is not a role$/, (m) => `「${m[1]}」はロールではありません`],
    [/^'(.*)' is neither 在籍 \(active\) nor 退職 \(disabled\)$/, (m) => `「${m[1]}」は在籍・退職のどちらでもありません`],
    [/^no header row naming the login column \(ログインID or login\)$/, () => 'ログインID の列を含む見出し行がありません'],
    [/^give the reorganisation a name \(\?name=…\)$/, () => '名前を入力してください'],
    [/^must be the date it takes effect \(YYYY-MM-DD\)$/, () => '適用日を入力してください'],
    [/^reorganisation (\d+) is applying$/, () => 'この変更は適用中です'],
    [/^reorganisation (\d+) is applied$/, () => 'この変更は既に適用済みです'],
    [/^reorganisation (\d+) is cancelled$/, () => 'この変更は取り消されています'],
    // the operation reports and their settings
    [/^must be a month as YYYY-MM \(2026-11\)$/, () => '月を YYYY-MM の形式で入力してください (2026-11 など)'],
    [/^must be a fiscal year between 2000 and 2099 \(2026\)$/, () => '年度を 2000〜2099 の範囲で入力してください'],
    [/^must be a day as YYYY-MM-DD$/, () => '日付の形式が正しくありません (YYYY-MM-DD)'],
    [/^must be json, html, pdf, xlsx or csv$/, () => '形式は json・html・pdf・xlsx・csv のいずれかにしてください'],
    [/^the report has no table "(.*)"$/, (m) => `この報告書に表「${m[1]}」はありません`],
    [
        /^only an admin or a manager replaces a closed period's snapshot \(refresh=true\)$/,
        () => '確定した報告書を作り直せるのは管理者と承認者です',
    ],
    [/^PDF needs Chromium on the unyo host .*$/, () => 'PDF の作成には unyo のサーバーに Chromium が必要です'],
    [/^HTML, XLSX and CSV are available without it$/, () => 'HTML・Excel・CSV はそのまま利用できます'],
    [/^the report settings were changed by someone else \(version (\d+) now\)$/, (m) => `報告書の設定は他の方が変更しました (現在は版 ${m[1]})`],
    [/^the report settings were changed by someone else$/, () => '報告書の設定は他の方が変更しました'],
    [/^reload them$/, () => '最新の内容を読み込んでから、もう一度操作してください'],
    [/^must be a ratio above 0 and below 1 \(0\.999 for 99\.9 %\)$/, () => '0 より大きく 1 未満の比率で入力してください (99.9% は 0.999)'],
    [/^must be a number \(0\.999\)$/, () => '数値 (比率) で入力してください (99.9% は 0.999)'],
    [/^a service needs a name$/, () => 'サービス名を入力してください'],
    [/^must be an object of service → ratio$/, () => 'サービス名と比率の組で指定してください'],
    [/^is not the id of a jobnet$/, () => 'ジョブネットが見つかりません'],
    [/^must be a list of jobnet ids$/, () => 'ジョブネットを選択してください'],
    [/^must be one mail address \(name@example\.jp\)$/, () => 'メールアドレスを 1 つ入力してください (name@example.jp など)'],
    [/^must be a list of mail addresses$/, () => 'メールアドレスの一覧で指定してください'],
    [/^must be text of at most 20,000 bytes$/, () => '20,000 バイト以内の文章にしてください'],
    [/^must be an object of fiscal year → text$/, () => '年度と文章の組で指定してください'],
    [/^the key must be a fiscal year \(2026\)$/, () => '年度 (2026 など) を指定してください'],
    [/^is not a member of the report settings$/, () => '報告書の設定にない項目です'],
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
    assignee_id: 'record.assignee',
    content_type: 'attachment.file',
    file: 'attachment.file',
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
