import { ObjectId } from 'mongodb';
import { LOCALES } from '../../i18n/locales.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { parseMoneyInput } from '../../lib/money.js';
import { editFingerprint, editFromDoc, type Actor, type ProductEdit, type ProductEditor } from '../catalog/editor.js';
import type { CatalogService } from '../catalog/service.js';
import { isSlug } from '../catalog/translated.js';
import type { ProductDoc } from '../catalog/types.js';
import type { ImportDoc, ImportRepository, PlannedRow, RowAction } from './import-repository.js';

/**
 * CSV import of products, upsert by SKU, in two steps: `plan` evaluates every row against the
 * catalog as it is now (create / update / unchanged / reject, with reasons) and stores the plan as a
 * job; nothing is written to the catalog. `apply` runs the plan in the background, row by row
 * through the product editor (so stock is adjusted, never overwritten, and each change is audited),
 * updating the job's progress as it goes. Rows are re-evaluated at apply time.
 */

type Message = PlannedRow['messages'][number];
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PROGRESS_EVERY = 25;
/** How often a running job says its worker is alive, and after how long without that it is declared interrupted. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;

interface Context {
  currency: string;
  categoryIds: Map<string, ObjectId>;
}

/** Strips the text marker the export puts before a leading = + - @. */
const cell = (data: Record<string, string>, key: string): string => (data[key] ?? '').replace(/^'(?=[=+\-@])/, '');

function nonNegativeInt(text: string): number | undefined {
  const n = Number(text);
  return text !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Applies the non-empty cells of a row to `edit` (variant `vi`); the messages say what is wrong. */
function applyRow(edit: ProductEdit, vi: number, data: Record<string, string>, ctx: Context): Message[] {
  const errors: Message[] = [];
  const variant = edit.variants[vi];
  if (!variant) return [{ key: 'adminCatalog.import.error.sku' }];
  const status = cell(data, 'status');
  if (status === 'draft' || status === 'published') edit.status = status;
  else if (status !== '') errors.push({ key: 'adminCatalog.import.error.status' });
  for (const l of LOCALES) {
    const title = cell(data, `title_${l}`);
    if (title !== '') edit.title = { ...edit.title, [l]: title.slice(0, 200) };
    const description = cell(data, `description_${l}`);
    if (description !== '') edit.description = { ...edit.description, [l]: description };
  }
  const money = (column: string, set: (m: { amount: number; currency: string }) => void) => {
    const text = cell(data, column);
    if (text === '') return;
    const m = parseMoneyInput(text, ctx.currency);
    if (!m || m.amount < 0) errors.push({ key: 'adminCatalog.import.error.price', params: { column } });
    else set(m);
  };
  money('price', (m) => (edit.price = m));
  money('compare_at_price', (m) => (edit.compareAtPrice = m));
  money('variant_price', (m) => (variant.price = m));
  for (const column of ['stock', 'weight'] as const) {
    const text = cell(data, column);
    if (text === '') continue;
    const n = nonNegativeInt(text);
    if (n === undefined) errors.push({ key: 'adminCatalog.import.error.integer', params: { column } });
    else if (column === 'stock') variant.stock = n;
    else variant.weight = n;
  }
  const tags = cell(data, 'tags');
  if (tags !== '') edit.tags = [...new Set(tags.split('|').map((t) => t.trim()).filter((t) => t !== ''))];
  const categories = cell(data, 'categories');
  if (categories !== '') {
    const slugs = categories.split('|').map((s) => s.trim()).filter((s) => s !== '');
    const missing = slugs.filter((s) => !ctx.categoryIds.has(s));
    if (missing.length > 0) errors.push({ key: 'adminCatalog.import.error.category', params: { slugs: missing.join(', ') } });
    else edit.categoryIds = slugs.map((s) => ctx.categoryIds.get(s) as ObjectId);
  }
  const options = cell(data, 'options');
  if (options !== '') {
    const pairs = options.split(';').map((p) => p.split('=').map((s) => s.trim()));
    if (pairs.some((p) => p.length !== 2 || !/^[a-z0-9-]+$/.test(p[0] ?? '') || !/^[a-z0-9-]+$/.test(p[1] ?? ''))) errors.push({ key: 'adminCatalog.import.error.options' });
    else {
      variant.options = Object.fromEntries(pairs);
      for (const [code, value] of pairs as [string, string][]) {
        let option = edit.options.find((o) => o.code === code);
        if (!option) edit.options = [...edit.options, (option = { code, name: { en: code }, values: [] })];
        if (!option.values.some((v) => v.code === value)) option.values = [...option.values, { code: value, label: { en: value } }];
      }
    }
  }
  return errors;
}

const comparable = (edit: ProductEdit) => JSON.stringify({ ...edit, variants: edit.variants.map(({ stockBase: _b, ...v }) => v) });

function changedColumns(before: ProductEdit, after: ProductEdit, data: Record<string, string>): string[] {
  if (comparable(before) === comparable(after)) return [];
  return Object.keys(data).filter((k) => k !== 'sku' && k !== 'slug' && cell(data, k) !== '');
}

export interface ImportServiceDeps {
  repository: ImportRepository;
  products: ProductEditor;
  catalog: Pick<CatalogService, 'allCategories'>;
  currency: () => Promise<string>;
  clock: () => Date;
}

export function createImportService({ repository, products, catalog, currency, clock }: ImportServiceDeps) {
  async function context(): Promise<Context> {
    const categoryIds = new Map((await catalog.allCategories()).map((c) => [c.slug, c._id]));
    return { currency: await currency(), categoryIds };
  }

  /** What one row would do now; `created` holds the slugs this file creates (rows after the first add a variant). */
  async function evaluate(data: Record<string, string>, line: number, ctx: Context, seen: Set<string>, created: Map<string, ProductEdit>): Promise<PlannedRow & { edit?: ProductEdit; existing?: ProductDoc }> {
    const sku = cell(data, 'sku');
    const base = { line, sku, data, changed: [] as string[] };
    if (!SKU.test(sku)) return { ...base, action: 'reject', messages: [{ key: 'adminCatalog.import.error.sku' }] };
    if (seen.has(sku)) return { ...base, action: 'reject', messages: [{ key: 'adminCatalog.import.error.duplicate' }] };
    seen.add(sku);
    const existing = await products.bySku(sku);
    if (existing) {
      const before = editFromDoc(existing);
      const edit = editFromDoc(existing);
      const errors = applyRow(edit, edit.variants.findIndex((v) => v.sku === sku), data, ctx);
      if (errors.length > 0) return { ...base, action: 'reject', messages: errors };
      const changed = changedColumns(before, edit, data);
      return { ...base, action: changed.length > 0 ? 'update' : 'unchanged', changed, messages: [], edit, existing };
    }
    const slug = cell(data, 'slug');
    const sibling = created.get(slug);
    const edit: ProductEdit = sibling ?? {
      slug, title: { en: '' }, description: { en: '' }, price: { amount: 0, currency: ctx.currency }, categoryIds: [], tags: [],
      options: [], status: 'draft', featuredRank: 0, images: [], variants: [],
    };
    edit.variants.push({ sku, options: {}, weight: 0, stock: 0, stockBase: 0 });
    const errors = applyRow(edit, edit.variants.length - 1, data, ctx);
    if (!isSlug(slug)) errors.push({ key: 'adminCatalog.import.error.slug' });
    if (!sibling && edit.title.en === '') errors.push({ key: 'adminCatalog.import.error.title' });
    if (!sibling && cell(data, 'price') === '') errors.push({ key: 'adminCatalog.import.error.price', params: { column: 'price' } });
    if (errors.length > 0) {
      edit.variants.pop();
      return { ...base, action: 'reject', messages: errors };
    }
    if (!sibling) created.set(slug, edit);
    return { ...base, action: 'create', messages: [], changed: Object.keys(data).filter((k) => cell(data, k) !== ''), edit };
  }

  function count(rows: readonly { action: RowAction }[]): Record<RowAction, number> {
    const counts: Record<RowAction, number> = { create: 0, update: 0, unchanged: 0, reject: 0 };
    for (const r of rows) counts[r.action]++;
    return counts;
  }

  async function run(job: ImportDoc, actor: Actor): Promise<void> {
    const ctx = await context();
    const seen = new Set<string>();
    const created = new Map<string, ProductEdit>();
    const createdIds = new Map<string, ObjectId>();
    const outcomes: RowAction[] = [];
    let pending: Record<number, RowAction> = {};
    for (const [index, row] of job.rows.entries()) {
      let outcome: RowAction = 'reject';
      try {
        const planned = await evaluate(row.data, row.line, ctx, seen, created);
        outcome = planned.action;
        if (planned.action === 'update' && planned.edit && planned.existing) {
          const r = await products.save(actor, planned.existing._id, planned.edit, { version: planned.existing.version, fingerprint: editFingerprint(planned.existing) });
          if (r.kind === 'conflict') outcome = 'reject';
        } else if (planned.action === 'create' && planned.edit) {
          const id = createdIds.get(planned.edit.slug);
          const current = id ? await products.byId(id) : null;
          if (current) {
            // A further variant of a product this file created: add it to the stored one.
            const edit = editFromDoc(current);
            const added = planned.edit.variants[planned.edit.variants.length - 1];
            if (added) edit.variants.push({ ...added, stockBase: 0 });
            edit.options = planned.edit.options;
            await products.save(actor, current._id, edit, { version: current.version, fingerprint: editFingerprint(current) });
          } else {
            const { doc } = await products.create(actor, { ...planned.edit, variants: planned.edit.variants.slice(-1) });
            createdIds.set(planned.edit.slug, doc._id);
          }
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcome = 'reject';
      }
      outcomes.push(outcome);
      pending[index] = outcome;
      if ((index + 1) % PROGRESS_EVERY === 0) {
        await repository.setProgress(job._id, index + 1, pending);
        pending = {};
      }
    }
    await repository.setProgress(job._id, job.rows.length, pending);
    await repository.finish(job._id, 'done', count(outcomes.map((action) => ({ action }))), clock());
  }

  return {
    /** The dry run: evaluates every row, writes nothing to the catalog; returns the job id. */
    async plan(actor: Actor, fileName: string, rows: Record<string, string>[]): Promise<ObjectId> {
      const ctx = await context();
      const seen = new Set<string>();
      const created = new Map<string, ProductEdit>();
      const planned: PlannedRow[] = [];
      for (const [i, data] of rows.entries()) {
        const { edit: _e, existing: _x, ...row } = await evaluate(data, i + 2, ctx, seen, created);
        planned.push(row);
      }
      const job: ImportDoc = {
        _id: new ObjectId(), status: 'planned', fileName, createdBy: { id: actor.id, email: actor.email }, ip: actor.ip,
        createdAt: clock(), rows: planned, total: planned.length, processed: 0, counts: count(planned),
      };
      await repository.insert(job);
      return job._id;
    },

    /** The job; a "running" one whose worker stopped beating (a crash, a restart) is marked interrupted first. */
    async get(id: ObjectId): Promise<ImportDoc | null> {
      const now = clock();
      await repository.interruptStale(id, new Date(now.getTime() - STALE_MS), now);
      return repository.byId(id);
    },
    progress: (id: ObjectId) => repository.progress(id),

    /** Starts applying a planned job (once) and returns at once; `done` resolves when it finishes. */
    async apply(actor: Actor, id: ObjectId): Promise<{ started: boolean; done: Promise<void> }> {
      const job = await repository.byId(id);
      if (!job) throw new NotFoundError('No such import');
      if (!(await repository.start(id, clock()))) return { started: false, done: Promise.resolve() };
      // The heartbeat runs on the real timer (not `clock`): it measures this process being alive.
      const heartbeat = setInterval(() => void repository.beat(id, clock()).catch(() => undefined), HEARTBEAT_MS);
      heartbeat.unref();
      const done = run(job, actor)
        .catch(async () => {
          await repository.finish(id, 'failed', job.counts, clock());
        })
        .finally(() => clearInterval(heartbeat));
      return { started: true, done };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
