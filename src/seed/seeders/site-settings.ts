import type { Seeder } from '../types.js';

export const siteSettingsSeeder: Seeder = {
  name: 'site-settings',
  async run({ services, log }) {
    const created = await services.site.ensureDefaults();
    log(created ? 'site settings created' : 'site settings already present');
  },
};
