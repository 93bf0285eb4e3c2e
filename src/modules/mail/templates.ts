import { Eta } from 'eta';
import type { Locale } from '../../i18n/locales.js';
import { createTranslator } from '../../i18n/translate.js';
import { viewsDir } from '../../paths.js';

/**
 * Email templates: views/mail/<name>.text.eta and <name>.html.eta, rendered in the recipient's
 * language with the same t() as pages. The subject is a translation key per template.
 */
export const MAIL_TEMPLATES = {
  'password-reset': { subjectKey: 'mail.passwordReset.subject' },
  'account-locked': { subjectKey: 'mail.accountLocked.subject' },
  'password-changed': { subjectKey: 'mail.passwordChanged.subject' },
  welcome: { subjectKey: 'mail.welcome.subject' },
} as const;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

// Text parts must not be HTML-escaped; the HTML parts escape through <%= %> as pages do.
const textEta = new Eta({ views: viewsDir, autoEscape: false, autoTrim: false, cache: true });
const htmlEta = new Eta({ views: viewsDir, autoEscape: true, cache: true });

export async function renderMail(
  template: MailTemplate,
  locale: Locale,
  data: Record<string, string | number>,
): Promise<RenderedMail> {
  const t = createTranslator(locale);
  const subject = t(MAIL_TEMPLATES[template].subjectKey, data);
  const model = { ...data, t, locale, subject };
  const [text, html] = await Promise.all([
    textEta.renderAsync(`/mail/${template}.text.eta`, model),
    htmlEta.renderAsync(`/mail/${template}.html.eta`, model),
  ]);
  return { subject, text: text.trim() + '\n', html };
}
