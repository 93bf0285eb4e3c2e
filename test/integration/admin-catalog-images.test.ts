import { ObjectId } from 'mongodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { TestAgent, type Page, type UploadFile } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent } from './admin-fixtures.js';

/** The product editor's images: uploaded through its file input, reordered and re-labelled through its form. */

let n = 0;
async function product(t: TestApp): Promise<ProductDoc> {
  const i = ++n;
  const tag = new ObjectId().toHexString().slice(-6);
  return t.services.catalog.createProduct({
    slug: `gallery-${i}-${tag}`, title: { en: `Gallery ${i}` }, description: { en: 'Plain.' },
    price: { amount: 1990, currency: 'EUR' }, status: 'published',
    variants: [{ sku: `G${i}-${tag}`, options: {}, stock: 5, weight: 100 }],
  });
}

async function png(background: string, width: number, height: number): Promise<UploadFile> {
  const data = await sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
  return { name: `${background.slice(1)}.png`, type: 'image/png', data };
}

const stored = (t: TestApp, id: ObjectId) => t.db.collection<ProductDoc>('products').findOne({ _id: id });

/** The storefront gallery, in page order: the media id of each picture and its alt text. */
function gallery(page: Page): { mediaId: string; alt: string | undefined }[] {
  return page.html().querySelectorAll('section.gallery picture img').map((img) => ({
    mediaId: /^\/media\/([0-9a-f]{24})\//.exec(img.getAttribute('src') ?? '')?.[1] ?? '',
    alt: img.getAttribute('alt'),
  }));
}

/** The editor's image rows, in form order: the hidden media id and the position field. */
function imageRows(page: Page): { id: string; pos: string }[] {
  const html = page.html();
  const rows: { id: string; pos: string }[] = [];
  for (let k = 0; ; k++) {
    const id = html.querySelector(`input[name=img${k}_id]`)?.getAttribute('value');
    if (id === undefined) return rows;
    rows.push({ id, pos: html.querySelector(`#f-img${k}_pos`)?.getAttribute('value') ?? '' });
  }
}

describe('admin products: image upload and reorder through the editor', () => {
  let t: TestApp;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('uploads two images with the file input, then the position fields reorder them in the shop and alt text edits are kept', async () => {
    const p = await product(t);
    const editUrl = `/admin/products/${p._id.toHexString()}`;

    // Two uploads through the editor's own upload form (its hidden _csrf included).
    const first = await staff.submitMultipart(await staff.get(editUrl), 'form.image-upload-form', { alt_en: 'A red square', alt_es: 'Un cuadrado rojo' }, { image: await png('#cc3333', 320, 200) });
    expect(first.status).toBe(303);
    expect(first.location).toBe(editUrl);
    const afterFirst = await staff.follow(first);
    expect(afterFirst.html().querySelector('.flashes')?.text).toContain('Image added');
    const second = await staff.submitMultipart(afterFirst, 'form.image-upload-form', { alt_en: 'A blue square' }, { image: await png('#3333cc', 240, 240) });
    expect(second.status).toBe(303);

    const uploaded = await stored(t, p._id);
    expect(uploaded?.images.map((i) => [i.alt, i.width, i.height, i.format])).toEqual([
      [{ en: 'A red square', es: 'Un cuadrado rojo' }, 320, 200, 'png'],
      [{ en: 'A blue square' }, 240, 240, 'png'],
    ]);
    const [red, blue] = (uploaded?.images ?? []).map((i) => i.mediaId.toHexString());
    if (!red || !blue) throw new Error('two images expected');
    const shopBefore = await new TestAgent(t.app).get(`/p/${p.slug}`);
    expect(gallery(shopBefore)).toEqual([{ mediaId: red, alt: 'A red square' }, { mediaId: blue, alt: 'A blue square' }]);

    // The editor lists them in stored order with positions 1 and 2; swap the positions and edit alt texts.
    const editor = await staff.get(editUrl);
    expect(imageRows(editor)).toEqual([{ id: red, pos: '1' }, { id: blue, pos: '2' }]);
    expect(editor.html().querySelector('#f-img0_alt_es')?.getAttribute('value')).toBe('Un cuadrado rojo');
    const saved = await staff.submitForm(editor, 'form.product-form', {
      img0_pos: '2', img1_pos: '1', img1_alt_en: 'A blue square, edited', 'img1_alt_pt-BR': 'Um quadrado azul', img0_alt_es: 'Rojo, editado',
    });
    expect(saved.status).toBe(303);

    const reordered = await stored(t, p._id);
    expect(reordered?.images.map((i) => [i.mediaId.toHexString(), i.alt, i.width, i.height])).toEqual([
      [blue, { en: 'A blue square, edited', 'pt-BR': 'Um quadrado azul' }, 240, 240],
      [red, { en: 'A red square', es: 'Rojo, editado' }, 320, 200],
    ]);
    const shopAfter = await new TestAgent(t.app).get(`/p/${p.slug}`);
    expect(gallery(shopAfter)).toEqual([{ mediaId: blue, alt: 'A blue square, edited' }, { mediaId: red, alt: 'A red square' }]);
    expect(gallery(await new TestAgent(t.app).get(`/p/${p.slug}?lang=es`)).map((g) => g.alt)).toEqual(['A blue square, edited', 'Rojo, editado']);
    // The editor shows the new order, numbered again from 1.
    expect(imageRows(await staff.get(editUrl))).toEqual([{ id: blue, pos: '1' }, { id: red, pos: '2' }]);
  });

  it('keeps the current order for equal positions and drops a removed image', async () => {
    const p = await product(t);
    const editUrl = `/admin/products/${p._id.toHexString()}`;
    for (const [colour, alt] of [['#11aa11', 'Green'], ['#aaaa11', 'Yellow'], ['#111111', 'Black']] as const) {
      const res = await staff.submitMultipart(await staff.get(editUrl), 'form.image-upload-form', { alt_en: alt }, { image: await png(colour, 100, 100) });
      expect(res.status).toBe(303);
    }
    const editor = await staff.get(editUrl);
    const [green, yellow, black] = imageRows(editor).map((r) => r.id);
    // Black moves first; green and yellow share position 2 and keep their order; nothing else changes.
    const saved = await staff.submitForm(editor, 'form.product-form', { img0_pos: '2', img1_pos: '2', img2_pos: '1' });
    expect(saved.status).toBe(303);
    expect((await stored(t, p._id))?.images.map((i) => i.mediaId.toHexString())).toEqual([black, green, yellow]);

    const again = await staff.get(editUrl);
    expect(imageRows(again).map((r) => r.id)).toEqual([black, green, yellow]);
    expect((await staff.submitForm(again, 'form.product-form', { img1_remove: 'on' })).status).toBe(303);
    const left = await stored(t, p._id);
    expect(left?.images.map((i) => [i.mediaId.toHexString(), i.alt.en])).toEqual([[black, 'Black'], [yellow, 'Yellow']]);
    expect(gallery(await new TestAgent(t.app).get(`/p/${p.slug}`)).map((g) => g.mediaId)).toEqual([black, yellow]);
  });
});
