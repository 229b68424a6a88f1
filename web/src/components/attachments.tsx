// A record's attachments: the list (name as a download link, size, type, who and when) and, for
// those who may change the record, an upload. The file goes as the request body with its type
// (docs/api.md); browsers name some types differently from the server (Windows says
// `application/x-zip-compressed` for a ZIP, `application/vnd.ms-excel` for a CSV, nothing for an
// unknown extension), so a file of an accepted extension is sent with the accepted type. Files over
// the limit are refused here before they are sent; the server's refusals (413, 415, 422 naming
// `content_type`, `file` or `name`) are shown at the file input.

import { useRef, useState } from 'preact/hooks';

import { ApiError, type RecordCollection } from '../api/client.ts';
import { api } from '../app/session.ts';
import { formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { useAction } from './action.tsx';
import { fieldErrors } from './errors.ts';
import { Field } from './form.tsx';
import { Alert, DateTime, ErrorAlert, Loading, Section } from './ui.tsx';
import { useLoad } from './use-load.ts';

/** The server's limit for one attachment (and for a request body). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The accepted types by file extension (docs/api.md: PDF, PNG, JPEG, text, CSV, ZIP, Office). */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    zip: 'application/zip',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    txt: 'text/plain',
    log: 'text/plain',
    csv: 'text/csv',
};
const ACCEPTED_TYPES = new Set(Object.values(TYPE_BY_EXTENSION));
const ACCEPT = [...Object.keys(TYPE_BY_EXTENSION).map((e) => `.${e}`), ...ACCEPTED_TYPES].join(',');

/** The type to send for `file`: its own when accepted, else the accepted type of its extension, else its own. */
export function uploadType(file: { name: string; type: string }): string {
    const own = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
    if (ACCEPTED_TYPES.has(own)) {
        return own;
    }
    const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
    return TYPE_BY_EXTENSION[extension] ?? (own || 'application/octet-stream');
}

/** `512 B`, `12.3 KB`, `4.5 MB`. */
export function formatBytes(bytes: number): string {
    if (bytes < 1024) {
        return `${formatNumber(bytes)} B`;
    }
    const kb = bytes / 1024;
    if (kb < 1024) {
        return `${kb.toFixed(1)} KB`;
    }
    return `${(kb / 1024).toFixed(1)} MB`;
}

/** What to say at the file input about a refused upload; undefined when the refusal is not about the file. */
function fileProblem(err: unknown, type: string): string | undefined {
    if (!(err instanceof ApiError)) {
        return undefined;
    }
    if (err.status === 413) {
        return t('attachment.tooLarge', { size: formatBytes(MAX_ATTACHMENT_BYTES) });
    }
    if (err.status === 415) {
        return t('attachment.typeRefused', { type });
    }
    const fields = fieldErrors(err);
    const said = [fields['content_type'], fields['file'], fields['name']].filter(Boolean);
    return said.length > 0 ? said.join(' ') : undefined;
}

export function Attachments({
    collection,
    recordId,
    writer,
    onAdded,
}: {
    collection: RecordCollection;
    recordId: number;
    writer: boolean;
    /** Called after an upload (the timeline has a new entry). */
    onAdded: () => void;
}) {
    const list = useLoad(() => api.listAttachments(collection, recordId), [recordId]);
    const [file, setFile] = useState<File | null>(null);
    /** A refusal made here, before sending. */
    const [local, setLocal] = useState<string | null>(null);
    const input = useRef<HTMLInputElement>(null);
    const action = useAction();
    const type = file ? uploadType(file) : '';

    const upload = async (): Promise<void> => {
        if (!file) {
            return;
        }
        if (file.size > MAX_ATTACHMENT_BYTES) {
            action.reset();
            setLocal(t('attachment.tooLarge', { size: formatBytes(MAX_ATTACHMENT_BYTES) }));
            return;
        }
        setLocal(null);
        const failed = await action.run(async () => {
            const res = await api.uploadAttachment(collection, recordId, file, file.name, type);
            return t('attachment.uploaded', { name: res.data.file_name });
        });
        if (failed === null) {
            setFile(null);
            if (input.current) {
                input.current.value = '';
            }
            list.reload();
            onAdded();
        }
    };

    const atFile = local ?? fileProblem(action.error, type);
    const items = list.data?.items ?? [];
    return (
        <Section title={t('attachment.title')}>
            {list.error !== null && <ErrorAlert error={list.error} />}
            {list.data === null && list.loading && <Loading />}
            {list.data !== null && items.length === 0 && <p class="muted">{t('attachment.none')}</p>}
            {items.length > 0 && (
                <ul class="attachments">
                    {items.map((a) => (
                        <li key={a.id} class="attachment">
                            <a class="attachment-name" href={api.attachmentUrl(collection, recordId, a.id)} download={a.file_name}>
                                {a.file_name}
                            </a>
                            <span class="attachment-meta muted small">
                                <span>{formatBytes(a.size)}</span>
                                <span class="mono">{a.content_type}</span>
                                <span>{t('attachment.by', { login: a.uploader })}</span>
                                <DateTime value={a.created_at} />
                            </span>
                        </li>
                    ))}
                </ul>
            )}
            {writer && (
                <form
                    class="attachment-form"
                    onSubmit={(e) => {
                        e.preventDefault();
                        void upload();
                    }}
                >
                    {action.done && <Alert tone="success" title={action.done} />}
                    {action.error !== null && atFile === undefined && <ErrorAlert error={action.error} />}
                    <Field
                        id="attachment-file"
                        label={t('attachment.file')}
                        hint={t('attachment.hint', { size: formatBytes(MAX_ATTACHMENT_BYTES) })}
                        error={atFile}
                    >
                        {(describedBy, invalid) => (
                            <input
                                ref={input}
                                id="attachment-file"
                                name="attachment-file"
                                type="file"
                                accept={ACCEPT}
                                aria-describedby={describedBy}
                                aria-invalid={invalid || undefined}
                                onChange={(e) => {
                                    setFile(e.currentTarget.files?.[0] ?? null);
                                    setLocal(null);
                                    action.reset();
                                }}
                            />
                        )}
                    </Field>
                    <div class="form-actions">
                        <button type="submit" class="button" disabled={action.busy || file === null}>
                            {action.busy ? t('attachment.uploading') : t('attachment.upload')}
                        </button>
                    </div>
                </form>
            )}
        </Section>
    );
}

