// The role division matrices with their work items (docs/raci.md), loaded once per session for
// the record forms' work-item picker (ORG-3) and for showing a record's work item in words. The
// matrix pages call `forgetRaci()` after a change, so that the next use loads them again.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { Id, Organization, RaciColumn, RaciItem, RaciMatrixDetail } from '../api/client.ts';
import { api } from './session.ts';

/** Every matrix with its items, by name (null until loaded). */
export const raciMatrices = signal<RaciMatrixDetail[] | null>(null);
let pending: Promise<void> | null = null;
/** Counts the forgets, so that a load started before one does not fill the list afterwards. */
let generation = 0;
/** The work items asked for that were not known, so that an unknown one reloads only once. */
const missed = new Set<Id>();

function refreshRaci(): Promise<void> {
    const started = generation;
    pending = api
        .listRaci()
        .then(async (list) => {
            const details = await Promise.all(list.items.map(async (m) => (await api.getRaci(m.id)).data));
            if (started === generation) {
                raciMatrices.value = details;
            }
        })
        .catch(() => {
            if (started === generation) {
                raciMatrices.value = raciMatrices.value ?? [];
            }
        });
    return pending;
}

/**
 * The matrices (null until loaded); loads them on first use, and again once when `itemId` (the
 * work item a record names) is not among them (a matrix imported since).
 */
export function useRaciMatrices(itemId?: Id | null): RaciMatrixDetail[] | null {
    const list = raciMatrices.value;
    useEffect(() => {
        if (list === null) {
            if (pending === null) {
                void refreshRaci();
            }
            return;
        }
        if (itemId !== undefined && itemId !== null && !findWorkItem(list, itemId) && !missed.has(itemId)) {
            missed.add(itemId);
            void refreshRaci();
        }
    }, [list, itemId]);
    return list;
}

/** A work item with the matrix it belongs to. */
export interface WorkItemRef {
    matrix: RaciMatrixDetail;
    item: RaciItem;
}

export function findWorkItem(list: readonly RaciMatrixDetail[] | null, itemId: Id): WorkItemRef | undefined {
    for (const matrix of list ?? []) {
        const item = matrix.items.find((i) => i.id === itemId);
        if (item) {
            return { matrix, item };
        }
    }
    return undefined;
}

/** "112 障害受付" (項番 and 作業項目). */
export function workItemLabel(item: Pick<RaciItem, 'seq' | 'title'>): string {
    return `${item.seq} ${item.title}`;
}

/** One organisation a work item routes to: its column, and the unyo organisation it stands for. */
export interface RouteParty {
    column: RaciColumn;
    /** The organisation's name, or the column's printed name when it stands for none. */
    name: string;
    mapped: boolean;
}

/** Whom a work item routes to: the main organisation as the server picks it, and the supporting ones. */
export interface WorkItemRoute {
    /** The first main column pointed at an organisation, else the first main column (unmapped); null without one. */
    main: RouteParty | null;
    support: RouteParty[];
}

/** Whom `item` of `matrix` routes to (as the server routes a record raised against it). */
export function workItemRoute(matrix: RaciMatrixDetail, item: RaciItem, orgs: readonly Organization[] | null): WorkItemRoute {
    const party = (column: RaciColumn): RouteParty => {
        const org = column.organization_id === null ? undefined : orgs?.find((o) => o.id === column.organization_id);
        return { column, name: org?.name ?? column.name, mapped: column.organization_id !== null };
    };
    const withRole = (role: string): RouteParty[] =>
        matrix.columns.filter((c) => item.cells[String(c.position)] === role).map(party);
    const mains = withRole('main');
    return { main: mains.find((p) => p.mapped) ?? mains[0] ?? null, support: withRole('support') };
}

/** Forgets the matrices (after a change to one, and at sign-out). */
export function forgetRaci(): void {
    generation += 1;
    raciMatrices.value = null;
    pending = null;
    missed.clear();
}
