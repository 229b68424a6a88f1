// The record kinds' workflows (GET /workflows: states, fields, transitions), loaded once per
// session and shared by the ledger's pages, which are driven by them.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { RecordCollection, Workflow } from '../api/client.ts';
import { api } from './session.ts';

export const workflows = signal<Workflow[] | null>(null);
export const workflowsError = signal<unknown>(null);
let pending: Promise<void> | null = null;

function loadWorkflows(): Promise<void> {
    workflowsError.value = null;
    pending = api.workflows().then(
        (res) => {
            workflows.value = res.items;
        },
        (err: unknown) => {
            workflowsError.value = err;
            pending = null;
        },
    );
    return pending;
}

/** Every kind's workflow (null until loaded); loads them on first use. */
export function useWorkflows(): Workflow[] | null {
    useEffect(() => {
        if (workflows.value === null && pending === null) {
            void loadWorkflows();
        }
    }, []);
    return workflows.value;
}

/** The workflow of `collection` (null until loaded); loads the workflows on first use. */
export function useWorkflow(collection: RecordCollection): Workflow | null {
    return useWorkflows()?.find((w) => w.collection === collection) ?? null;
}

/** The collection of a record kind (`incident` → `incidents`), for links between records. */
export function collectionOfKind(kind: string): RecordCollection | null {
    return workflows.value?.find((w) => w.kind === kind)?.collection ?? null;
}

/** The collection of a record key (`INC-000012` → `incidents`) by its kind's prefix; null when none fits. */
export function collectionOfKey(key: string): RecordCollection | null {
    const prefix = /^([A-Za-z]+)-\d+$/.exec(key.trim())?.[1]?.toUpperCase();
    return (prefix && workflows.value?.find((w) => w.prefix.toUpperCase() === prefix)?.collection) || null;
}

/** Forgets the workflows (at sign-out). */
export function forgetWorkflows(): void {
    workflows.value = null;
    workflowsError.value = null;
    pending = null;
}
