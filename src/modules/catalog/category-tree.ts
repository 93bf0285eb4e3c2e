import type { ObjectId } from 'mongodb';
import type { CategoryDoc } from './types.js';

export interface CategoryNode {
  category: CategoryDoc;
  children: CategoryNode[];
  /** Root first, this category excluded. */
  ancestors: CategoryDoc[];
}

/**
 * The visible category tree, built once per cache generation: a category is visible when it and
 * every ancestor are published.
 */
export interface CategoryTree {
  roots: CategoryNode[];
  byId(id: ObjectId | string): CategoryNode | undefined;
  bySlug(slug: string): CategoryNode | undefined;
  /** Current slug of a category that used to be called `slug`. */
  movedFrom(slug: string): string | undefined;
  /** The category and all its visible descendants. */
  subtreeIds(node: CategoryNode): ObjectId[];
  all(): CategoryNode[];
}

export function buildCategoryTree(categories: readonly CategoryDoc[]): CategoryTree {
  const nodes = new Map<string, CategoryNode>();
  for (const c of categories) nodes.set(c._id.toHexString(), { category: c, children: [], ancestors: [] });
  const visible = new Map<string, CategoryNode>();
  const isVisible = (node: CategoryNode, depth = 0): boolean => {
    if (node.category.status !== 'published' || depth > 5) return false;
    const parentId = node.category.parentId;
    if (parentId === null) return true;
    const parent = nodes.get(parentId.toHexString());
    return parent !== undefined && isVisible(parent, depth + 1);
  };
  for (const [id, node] of nodes) if (isVisible(node)) visible.set(id, node);
  const roots: CategoryNode[] = [];
  for (const node of visible.values()) {
    const parentId = node.category.parentId;
    const parent = parentId ? visible.get(parentId.toHexString()) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const setAncestors = (node: CategoryNode, ancestors: CategoryDoc[]): void => {
    node.ancestors = ancestors;
    for (const child of node.children) setAncestors(child, [...ancestors, node.category]);
  };
  for (const root of roots) setAncestors(root, []);
  const bySlug = new Map([...visible.values()].map((n) => [n.category.slug, n]));
  const moved = new Map<string, string>();
  for (const n of visible.values()) for (const old of n.category.oldSlugs) if (!bySlug.has(old)) moved.set(old, n.category.slug);

  const subtree = (node: CategoryNode): ObjectId[] => [node.category._id, ...node.children.flatMap(subtree)];
  return {
    roots,
    byId: (id) => visible.get(typeof id === 'string' ? id : id.toHexString()),
    bySlug: (slug) => bySlug.get(slug),
    movedFrom: (slug) => moved.get(slug),
    subtreeIds: subtree,
    all: () => [...visible.values()],
  };
}
