/**
 * `--shard K/N`: SKU `sku` belongs to shard fnv1a(sku) mod N (K = 0..N-1). The assignment depends
 * only on the SKU id, so shards are disjoint, their union is every SKU, and a SKU stays on its
 * shard when others are added or removed. Results do not depend on the shard (seeds are per SKU).
 */
import { fnv1a } from '../../core/random.js';

export interface Shard {
  index: number;
  count: number;
}

export function inShard(sku: string, shard: Shard | undefined): boolean {
  return shard === undefined || fnv1a(sku) % shard.count === shard.index;
}
