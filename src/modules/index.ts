import { homeModule } from './home/routes.js';
import { localeModule } from './locale/routes.js';
import { searchModule } from './search/routes.js';
import type { AppModule } from './types.js';

/** Every module of the shop, in registration order (their nav links appear in this order too). */
export const modules: readonly AppModule[] = [homeModule, searchModule, localeModule];
