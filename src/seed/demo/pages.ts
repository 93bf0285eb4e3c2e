import type { Translated } from '../../modules/catalog/types.js';

/** Content pages of the demo shop (Markdown in three languages). */
export interface DemoPage {
  slug: string;
  title: Translated;
  body: Translated;
  seoDescription: Translated;
}

export const DEMO_PAGES: readonly DemoPage[] = [
  {
    slug: 'about',
    title: { en: 'About us', 'pt-BR': 'Quem somos', es: 'Quiénes somos' },
    seoDescription: {
      en: 'Vitrine is a small shop of carefully chosen clothing and homeware.',
      'pt-BR': 'A Vitrine é uma pequena loja de roupas e objetos para a casa escolhidos com cuidado.',
      es: 'Vitrine es una pequeña tienda de ropa y objetos para el hogar elegidos con cuidado.',
    },
    body: {
      en: 'We started **Vitrine** in 2019 with one table at a Saturday market.\n\nToday we work with twelve small workshops. We visit each of them, we pay fairly, and we only sell what we use ourselves.\n\n## What we believe\n\n- Fewer, better things\n- Honest materials\n- Repair before replace',
      'pt-BR': 'Começamos a **Vitrine** em 2019 com uma mesa numa feira de sábado.\n\nHoje trabalhamos com doze pequenas oficinas. Visitamos cada uma delas, pagamos de forma justa e só vendemos o que nós mesmos usamos.\n\n## No que acreditamos\n\n- Menos coisas, e melhores\n- Materiais honestos\n- Consertar antes de substituir',
      es: 'Empezamos **Vitrine** en 2019 con una mesa en un mercado de sábado.\n\nHoy trabajamos con doce pequeños talleres. Los visitamos a todos, pagamos de forma justa y solo vendemos lo que usamos nosotros mismos.\n\n## En qué creemos\n\n- Menos cosas, pero mejores\n- Materiales honestos\n- Reparar antes que reemplazar',
    },
  },
  {
    slug: 'shipping',
    title: { en: 'Shipping', 'pt-BR': 'Entrega', es: 'Envíos' },
    seoDescription: {
      en: 'Delivery times and costs for every country we ship to.',
      'pt-BR': 'Prazos e custos de entrega para todos os países atendidos.',
      es: 'Plazos y costes de envío para todos los países a los que enviamos.',
    },
    body: {
      en: 'Orders placed before 2 pm (CET) leave our workshop the same day.\n\n| Destination | Time | Cost |\n|---|---|---|\n| Portugal and Spain | 2–3 working days | €4.90 |\n| Rest of the EU | 3–5 working days | €7.90 |\n| Worldwide | 7–12 working days | €14.90 |\n\nShipping is **free** on orders over €60. Digital products are delivered by e-mail right after payment.',
      'pt-BR': 'Pedidos feitos até as 14h (CET) saem da nossa oficina no mesmo dia.\n\n| Destino | Prazo | Custo |\n|---|---|---|\n| Portugal e Espanha | 2–3 dias úteis | 4,90 € |\n| Resto da UE | 3–5 dias úteis | 7,90 € |\n| Outros países | 7–12 dias úteis | 14,90 € |\n\nO frete é **grátis** em pedidos acima de 60 €. Produtos digitais chegam por e-mail logo após o pagamento.',
      es: 'Los pedidos realizados antes de las 14:00 (CET) salen de nuestro taller el mismo día.\n\n| Destino | Plazo | Coste |\n|---|---|---|\n| Portugal y España | 2–3 días laborables | 4,90 € |\n| Resto de la UE | 3–5 días laborables | 7,90 € |\n| Resto del mundo | 7–12 días laborables | 14,90 € |\n\nEl envío es **gratis** en pedidos de más de 60 €. Los productos digitales se entregan por correo electrónico nada más pagar.',
    },
  },
  {
    slug: 'returns',
    title: { en: 'Returns', 'pt-BR': 'Trocas e devoluções', es: 'Devoluciones' },
    seoDescription: {
      en: 'Return anything within 30 days, no questions asked.',
      'pt-BR': 'Devolva qualquer item em até 30 dias, sem complicação.',
      es: 'Devuelve cualquier artículo en un plazo de 30 días, sin preguntas.',
    },
    body: {
      en: 'Changed your mind? Send it back within **30 days** of delivery.\n\n1. Write to us with your order number.\n2. Pack the item unused, with its label.\n3. We refund you within 5 working days of receiving it.\n\nDigital products cannot be returned once downloaded.',
      'pt-BR': 'Mudou de ideia? Devolva em até **30 dias** após a entrega.\n\n1. Escreva para nós com o número do pedido.\n2. Embale o item sem uso, com a etiqueta.\n3. Reembolsamos em até 5 dias úteis após o recebimento.\n\nProdutos digitais não podem ser devolvidos depois de baixados.',
      es: '¿Has cambiado de opinión? Devuélvelo en un plazo de **30 días** desde la entrega.\n\n1. Escríbenos con tu número de pedido.\n2. Empaqueta el artículo sin usar, con su etiqueta.\n3. Te reembolsamos en 5 días laborables desde que lo recibimos.\n\nLos productos digitales no se pueden devolver una vez descargados.',
    },
  },
  {
    slug: 'privacy',
    title: { en: 'Privacy', 'pt-BR': 'Privacidade', es: 'Privacidad' },
    seoDescription: {
      en: 'What data we keep, why, and how to have it deleted.',
      'pt-BR': 'Quais dados guardamos, por quê e como pedir a exclusão.',
      es: 'Qué datos guardamos, por qué y cómo pedir que se borren.',
    },
    body: {
      en: 'We keep only what we need to deliver your order: your name, address, e-mail and what you bought.\n\n- No advertising trackers, no third-party analytics.\n- One cookie keeps your cart and your sign-in.\n- Payment details never reach our servers.\n\nTo see or delete your data, write to privacy@example.com.',
      'pt-BR': 'Guardamos apenas o necessário para entregar o seu pedido: nome, endereço, e-mail e o que você comprou.\n\n- Nenhum rastreador de publicidade nem análise de terceiros.\n- Um cookie guarda o seu carrinho e o seu login.\n- Os dados de pagamento nunca chegam aos nossos servidores.\n\nPara ver ou excluir os seus dados, escreva para privacy@example.com.',
      es: 'Guardamos solo lo necesario para entregar tu pedido: nombre, dirección, correo y lo que compraste.\n\n- Sin rastreadores publicitarios ni analítica de terceros.\n- Una cookie guarda tu carrito y tu sesión.\n- Los datos de pago nunca llegan a nuestros servidores.\n\nPara ver o borrar tus datos, escribe a privacy@example.com.',
    },
  },
];

export const HOME_TEXT = {
  hero: {
    heading: { en: 'Good things, carefully chosen', 'pt-BR': 'Coisas boas, escolhidas com cuidado', es: 'Cosas buenas, elegidas con cuidado' },
    text: {
      en: 'Organic cotton basics and handmade homeware from small workshops. Free shipping over €60.',
      'pt-BR': 'Básicos de algodão orgânico e objetos para a casa feitos à mão em pequenas oficinas. Frete grátis acima de 60 €.',
      es: 'Básicos de algodón orgánico y objetos para el hogar hechos a mano en pequeños talleres. Envío gratis a partir de 60 €.',
    },
    link: { en: 'Shop clothing', 'pt-BR': 'Ver roupas', es: 'Ver ropa' },
  },
  categories: { en: 'Shop by category', 'pt-BR': 'Compre por categoria', es: 'Compra por categoría' },
  products: { en: 'Our favourites', 'pt-BR': 'Nossos favoritos', es: 'Nuestros favoritos' },
  richText: {
    en: '## Made to last\n\nEverything we sell is chosen to be used for years. If something breaks, [tell us](/pages/returns): we repair it or replace it.',
    'pt-BR': '## Feito para durar\n\nTudo o que vendemos é escolhido para ser usado por anos. Se algo quebrar, [fale conosco](/pages/returns): consertamos ou trocamos.',
    es: '## Hecho para durar\n\nTodo lo que vendemos está pensado para usarse durante años. Si algo se rompe, [avísanos](/pages/returns): lo reparamos o lo cambiamos.',
  },
} as const;
